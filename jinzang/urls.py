from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from jinzang.offline import offline_page, service_worker
from meetings.dashboard.views import DashboardView
from residents.register.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    # Recording with no signal: the service worker, at the root to serve every page, and
    # what it shows for a page it did not keep.
    path("sw.js", service_worker, name="service_worker"),
    path("offline/", offline_page, name="offline"),
    # Signing in: a letter's code (join, join_code), phone or username, a code by SMS.
    path("", include("residents.accounts.urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("committees/", include("committees.bodies.urls")),
    path("notices/", include("committees.notices.urls")),
    path("meetings/", include("meetings.meetings.urls")),
    path("projects/", include("meetings.projects.urls")),
    path("requests/", include("committees.requests.urls")),
    path("visits/", include("meetings.visits.urls")),
    path("volunteers/", include("committees.volunteers.urls")),
    path("funds/", include("committees.funds.urls")),
    path("facilities/", include("committees.facilities.urls")),
    path("me/", include("residents.door.urls")),
    path("", include("residents.urls")),
]

if settings.BENCH:
    from jinzang.bench_views import bare

    urlpatterns.insert(0, path("bench/bare/", bare, name="bench_bare"))
