from django.urls import path

from committees.requests import views, workflow

app_name = "requests"
urlpatterns = [
    path("", views.RequestListView.as_view(), name="list"),
    path("new/", views.RequestReceiveView.as_view(), name="receive"),
    path("summary/", views.RequestSummaryView.as_view(), name="summary"),
    path("resolved/", views.PublicResolvedView.as_view(), name="resolved"),
    path("mine/", views.MyRequestListView.as_view(), name="mine"),
    path("mine/new/", views.MyRequestNewView.as_view(), name="mine_new"),
    path("mine/<int:pk>/", views.MyRequestDetailView.as_view(), name="mine_detail"),
    path("alliance/", views.AllianceListView.as_view(), name="alliance"),
    path("<int:pk>/", views.RequestDetailView.as_view(), name="detail"),
    # One page a step of the workflow, as the table declares it: requests:accept, ...
    *(
        path(step.route, views.RequestStepView.as_view(step=step), name=step.name)
        for step in workflow.STEPS
    ),
    path("<int:pk>/history/", views.RequestHistoryView.as_view(), name="history"),
    path("<int:pk>/whistle/", views.WhistleBlowView.as_view(), name="whistle"),
    path(
        "<int:pk>/responders/<int:responder_pk>/report/",
        views.ResponderReportView.as_view(),
        name="report",
    ),
    path("<int:pk>/photos/", views.PhotoAddView.as_view(), name="photo_add"),
    path("<int:pk>/photos/<int:photo_pk>/", views.PhotoFileView.as_view(), name="photo"),
]
