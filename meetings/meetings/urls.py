from django.urls import path

from meetings.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting_list"),
    path("calendar/", views.MeetingCalendarView.as_view(), name="calendar"),
    path("new/", views.MeetingFormView.as_view(), name="meeting_create"),
    path("actions/mine/", views.ActionListView.as_view(which="mine"), name="actions_mine"),
    path("actions/overdue/", views.ActionListView.as_view(which="overdue"), name="actions_overdue"),
    path("actions/<int:pk>/status/", views.ActionStatusView.as_view(), name="action_status"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="meeting"),
    path("<int:pk>/attendance.<str:fmt>", views.AttendanceExportView.as_view(), name="attendance"),
    path("<int:pk>/print/", views.MeetingPrintView.as_view(), name="meeting_print"),
    path("<int:pk>/edit/", views.MeetingFormView.as_view(), name="meeting_edit"),
    path("<int:pk>/record/", views.MeetingRecordView.as_view(), name="meeting_record"),
    path("<int:pk>/attendees/search/", views.AttendeeSearchView.as_view(), name="attendee_search"),
    path("<int:pk>/attendees/", views.AttendeeAddView.as_view(), name="attendee_add"),
    path(
        "<int:pk>/attendees/<int:attendee_pk>/remove/",
        views.AttendeeRemoveView.as_view(),
        name="attendee_remove",
    ),
    path("<int:pk>/parties/", views.PartyAddView.as_view(), name="party_add"),
    path("<int:pk>/items/", views.ItemAddView.as_view(), name="item_add"),
    path("<int:pk>/items/<int:item_pk>/edit/", views.ItemEditView.as_view(), name="item_edit"),
    path(
        "<int:pk>/items/<int:item_pk>/delete/", views.ItemDeleteView.as_view(), name="item_delete"
    ),
    path("<int:pk>/decisions/", views.DecisionAddView.as_view(), name="decision_add"),
    path(
        "<int:pk>/decisions/<int:decision_pk>/delete/",
        views.DecisionDeleteView.as_view(),
        name="decision_delete",
    ),
    path("<int:pk>/actions/", views.ActionAddView.as_view(), name="action_add"),
    path(
        "<int:pk>/actions/<int:action_pk>/delete/",
        views.ActionDeleteView.as_view(),
        name="action_delete",
    ),
]
