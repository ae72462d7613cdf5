from django.urls import path

from committees.volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.TeamListView.as_view(), name="list"),
    path("tally/", views.TallyView.as_view(), name="tally"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team"),
    path("teams/<int:pk>/activities/new/", views.ActivityCreateView.as_view(), name="activity_add"),
    path("teams/<int:pk>/members/new/", views.VolunteerAddView.as_view(), name="volunteer_add"),
    path("people/<int:pk>/", views.PersonView.as_view(), name="person"),
]
