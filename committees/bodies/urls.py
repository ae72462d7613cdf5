from django.urls import path

from committees.bodies import views

app_name = "committees"
urlpatterns = [
    path("", views.BodyListView.as_view(), name="body_list"),
    path("<int:pk>/", views.BodyDetailView.as_view(), name="body"),
    path("<int:pk>/terms/new/", views.TermCreateView.as_view(), name="term_create"),
    path("terms/<int:pk>/members/new/", views.MemberCreateView.as_view(), name="member_create"),
    path(
        "terms/<int:pk>/election/new/", views.ElectionCreateView.as_view(), name="election_create"
    ),
    path("members/<int:pk>/end/", views.MemberEndView.as_view(), name="member_end"),
    path("elections/<int:pk>/", views.ElectionDetailView.as_view(), name="election"),
    path("elections/<int:pk>/ballots/", views.BallotRecordView.as_view(), name="ballot_record"),
    path("elections/<int:pk>/candidates/", views.CandidateAddView.as_view(), name="candidate_add"),
    path(
        "elections/<int:pk>/announce/",
        views.ElectionAnnounceView.as_view(),
        name="election_announce",
    ),
    path(
        "elections/<int:pk>/open-vote/",
        views.ElectionVoteOpenView.as_view(),
        name="election_vote_open",
    ),
    path(
        "elections/<int:pk>/publish-result/",
        views.ElectionPublishView.as_view(),
        name="election_publish",
    ),
    path("elections/<int:pk>/close/", views.ElectionCloseView.as_view(), name="election_close"),
    path("elections/<int:pk>/runoff/", views.ElectionRunoffView.as_view(), name="election_runoff"),
    path("terms/<int:pk>/chair/", views.ChairChooseView.as_view(), name="chair_choose"),
    path("filings/<int:pk>/", views.FilingRecordView.as_view(), name="filing_record"),
]
