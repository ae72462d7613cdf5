from django.urls import path

from committees.funds import views

app_name = "funds"
urlpatterns = [
    path("", views.FundListView.as_view(), name="list"),
    path("public/<int:pk>/", views.PublicFundView.as_view(), name="public"),
    path("<int:pk>/", views.FundDetailView.as_view(), name="detail"),
    path("<int:pk>/entries/new/", views.FundEntryCreateView.as_view(), name="entry_add"),
    path("<int:pk>/entries/<int:entry_pk>/receipt/", views.ReceiptView.as_view(), name="receipt"),
]
