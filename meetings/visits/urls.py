from django.urls import path

from meetings.visits import views
from residents.care import views as care

app_name = "visits"
urlpatterns = [
    path("", views.VisitListView.as_view(), name="visit_list"),
    path("new/", views.VisitCreateView.as_view(), name="visit_create"),
    path("<int:pk>/", views.VisitDetailView.as_view(), name="visit"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", views.CampaignFormView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign"),
    path("campaigns/<int:pk>/edit/", views.CampaignFormView.as_view(), name="campaign_edit"),
    path("care/", care.CareListView.as_view(), name="care_list"),
    path("care/new/", care.CareFormView.as_view(), name="care_create"),
    path("care/<int:pk>/", care.CareDetailView.as_view(), name="care"),
    path("care/<int:pk>/edit/", care.CareFormView.as_view(), name="care_edit"),
]
