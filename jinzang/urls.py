from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from meetings.dashboard_views import DashboardView
from residents.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("committees/", include("committees.urls")),
    path("notices/", include("committees.notice_urls")),
    path("meetings/", include("meetings.urls")),
    path("projects/", include("meetings.project_urls")),
    path("requests/", include("committees.request_urls")),
    path("visits/", include("meetings.visit_urls")),
    path("volunteers/", include("committees.volunteer_urls")),
    path("funds/", include("committees.fund_urls")),
    path("facilities/", include("committees.facility_urls")),
    path("", include("residents.urls")),
]

if settings.BENCH:
    from .bench_views import bare

    urlpatterns.insert(0, path("bench/bare/", bare, name="bench_bare"))
