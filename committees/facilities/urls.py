from django.urls import path

from committees.facilities import views

app_name = "facilities"
urlpatterns = [
    path("", views.FacilityListView.as_view(), name="list"),
    path("<int:pk>/", views.FacilityDetailView.as_view(), name="detail"),
    path("<int:pk>/inspect/", views.InspectionView.as_view(), name="inspect"),
    path("<int:pk>/report/", views.ReportBrokenView.as_view(), name="report"),
]
