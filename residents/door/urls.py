from django.urls import path

from residents.door import views

app_name = "door"
urlpatterns = [
    path("", views.DoorHomeView.as_view(), name="home"),
    path("record/", views.DoorRecordView.as_view(), name="record"),
]
