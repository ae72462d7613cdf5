from django.urls import path

from residents.accounts import letter_views
from residents.imports import views as import_views
from residents.register import views

app_name = "residents"
urlpatterns = [
    path("compounds/<int:pk>/", views.CompoundDetailView.as_view(), name="compound"),
    path("buildings/<int:pk>/", views.BuildingDetailView.as_view(), name="building"),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit"),
    path(
        "units/<int:unit_pk>/households/new/",
        views.HouseholdFormView.as_view(),
        name="household_create",
    ),
    path("households/<int:pk>/", views.HouseholdDetailView.as_view(), name="household"),
    path(
        "households/<int:pk>/history/",
        views.HouseholdHistoryView.as_view(),
        name="household_history",
    ),
    path(
        "households/<int:household_pk>/edit/",
        views.HouseholdFormView.as_view(),
        name="household_edit",
    ),
    path(
        "households/<int:household_pk>/residents/new/",
        views.ResidentFormView.as_view(),
        name="resident_create",
    ),
    # Access letters (residents/accounts/letter_views.py)
    path(
        "compounds/<int:pk>/letters/",
        letter_views.CompoundLettersView.as_view(),
        name="letters_compound",
    ),
    path(
        "buildings/<int:pk>/letters/",
        letter_views.BuildingLettersView.as_view(),
        name="letters_building",
    ),
    path("units/<int:pk>/letters/", letter_views.UnitLettersView.as_view(), name="letters_unit"),
    path(
        "households/<int:pk>/letters/",
        letter_views.HouseholdLettersView.as_view(),
        name="letters_household",
    ),
    path(
        "households/<int:pk>/letters/revoke/",
        letter_views.HouseholdLettersRevokeView.as_view(),
        name="letters_revoke_household",
    ),
    path("letters/<int:pk>/revoke/", letter_views.LetterRevokeView.as_view(), name="letter_revoke"),
    path("register/import/", import_views.RegisterImportView.as_view(), name="import"),
    path(
        "register/import/template.<str:fmt>",
        import_views.RegisterTemplateView.as_view(),
        name="import_template",
    ),
    path(
        "register/import/<str:token>/",
        import_views.RegisterImportPreviewView.as_view(),
        name="import_preview",
    ),
    path("register/export.<str:fmt>", import_views.RegisterExportView.as_view(), name="export"),
    path("residents/", views.ResidentListView.as_view(), name="resident_list"),
    path("residents/<int:pk>/", views.ResidentDetailView.as_view(), name="resident"),
    path(
        "residents/<int:pk>/history/",
        views.ResidentHistoryView.as_view(),
        name="resident_history",
    ),
    path("residents/<int:pk>/numbers/", views.ResidentRevealView.as_view(), name="resident_reveal"),
    path(
        "residents/<int:resident_pk>/edit/", views.ResidentFormView.as_view(), name="resident_edit"
    ),
    path("residents/<int:pk>/export/", views.ResidentExportView.as_view(), name="resident_export"),
    path("residents/<int:pk>/erase/", views.ResidentEraseView.as_view(), name="resident_erase"),
]
