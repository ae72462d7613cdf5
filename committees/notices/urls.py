from django.urls import path

from committees.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.NoticeListView.as_view(), name="notice_list"),
    path("feed/<int:compound_pk>/", views.CompoundNoticeFeed(), name="feed"),
    path("mine/", views.MyNoticeListView.as_view(), name="mine"),
    path("manage/", views.NoticeManageListView.as_view(), name="manage_list"),
    path("new/", views.NoticeFormView.as_view(), name="notice_create"),
    path("<int:pk>/", views.NoticeDetailView.as_view(), name="notice"),
    path("<int:pk>/print/", views.NoticePrintView.as_view(), name="notice_print"),
    path("<int:pk>/edit/", views.NoticeFormView.as_view(), name="notice_edit"),
    path("<int:pk>/publish/", views.NoticePublishView.as_view(), name="notice_publish"),
    path("<int:pk>/withdraw/", views.NoticeWithdrawView.as_view(), name="notice_withdraw"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.NoticeAttachmentView.as_view(),
        name="attachment",
    ),
]
