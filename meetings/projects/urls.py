from django.urls import path

from meetings.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("new/", views.ProjectFormView.as_view(), name="project_create"),
    path("ballots/", views.BallotListView.as_view(), name="ballots"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project"),
    path("<int:pk>/ballot/", views.BallotView.as_view(), name="ballot"),
    path("<int:pk>/ballot/receipt/", views.BallotReceiptView.as_view(), name="ballot_receipt"),
    path("<int:pk>/edit/", views.ProjectFormView.as_view(), name="project_edit"),
    path("<int:pk>/announce/", views.DecisionAnnounceView.as_view(), name="decision_announce"),
    path("<int:pk>/open-vote/", views.VoteOpenView.as_view(), name="vote_open"),
    path("<int:pk>/close-vote/", views.VoteCloseView.as_view(), name="vote_close"),
    path("<int:pk>/publish-result/", views.ResultPublishView.as_view(), name="result_publish"),
    path("<int:pk>/grid-workers/", views.GridWorkerAddView.as_view(), name="grid_worker_add"),
    path(
        "<int:pk>/grid-workers/<int:worker_pk>/remove/",
        views.GridWorkerRemoveView.as_view(),
        name="grid_worker_remove",
    ),
    path("<int:pk>/summary/", views.ProjectSummaryView.as_view(), name="summary"),
    path("<int:pk>/export.<str:fmt>", views.ProjectExportView.as_view(), name="export"),
    path("<int:pk>/import/", views.ProjectImportView.as_view(), name="import"),
    path(
        "<int:pk>/import/template.<str:fmt>",
        views.ProjectImportTemplateView.as_view(),
        name="import_template",
    ),
    path(
        "<int:pk>/import/<str:token>/",
        views.ProjectImportPreviewView.as_view(),
        name="import_preview",
    ),
    path("<int:pk>/buildings/<int:building_pk>/", views.ConsentGridView.as_view(), name="grid"),
    path(
        "<int:pk>/households/<int:household_pk>/",
        views.ConsentRecordView.as_view(),
        name="record",
    ),
    path(
        "<int:pk>/households/<int:household_pk>/scan/",
        views.ConsentScanView.as_view(),
        name="scan",
    ),
    path(
        "<int:pk>/households/<int:household_pk>/form/",
        views.ConsentFormPrintView.as_view(),
        name="consent_form",
    ),
]
