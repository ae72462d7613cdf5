"""The sign-in pages, named at the root (no namespace): `join`, `join_code`, `login`,
`login_sms`, `login_sms_code`."""

from django.urls import path

from residents.accounts import views

urlpatterns = [
    path("join/", views.JoinView.as_view(), name="join"),
    path("join/<str:code>/", views.JoinCodeView.as_view(), name="join_code"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/login/sms/", views.SmsSendView.as_view(), name="login_sms"),
    path("accounts/login/sms/code/", views.SmsCodeView.as_view(), name="login_sms_code"),
]
