from django.urls import path

from committees.models import ResidentRequest
from committees.requests import views

Status = ResidentRequest.Status

app_name = "requests"
urlpatterns = [
    path("", views.RequestListView.as_view(), name="list"),
    path("new/", views.RequestReceiveView.as_view(), name="receive"),
    path("summary/", views.RequestSummaryView.as_view(), name="summary"),
    path("resolved/", views.PublicResolvedView.as_view(), name="resolved"),
    path("alliance/", views.AllianceListView.as_view(), name="alliance"),
    path("<int:pk>/", views.RequestDetailView.as_view(), name="detail"),
    path("<int:pk>/accept/", views.RequestStepView.as_view(to=Status.ACCEPTED), name="accept"),
    path("<int:pk>/start/", views.RequestStepView.as_view(to=Status.IN_PROGRESS), name="start"),
    path("<int:pk>/resolve/", views.RequestStepView.as_view(to=Status.RESOLVED), name="resolve"),
    path("<int:pk>/confirm/", views.RequestStepView.as_view(to=Status.CONFIRMED), name="confirm"),
    path("<int:pk>/close/", views.RequestStepView.as_view(to=Status.CLOSED), name="close"),
    path("<int:pk>/whistle/", views.WhistleBlowView.as_view(), name="whistle"),
    path(
        "<int:pk>/responders/<int:responder_pk>/report/",
        views.ResponderReportView.as_view(),
        name="report",
    ),
    path("<int:pk>/photos/", views.PhotoAddView.as_view(), name="photo_add"),
    path("<int:pk>/photos/<int:photo_pk>/", views.PhotoFileView.as_view(), name="photo"),
]
