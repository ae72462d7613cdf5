"""The staff pages: drafting, correcting, publishing, withdrawing, and who may do it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from committees.models import Notice, NoticeAttachment, NoticeRevision
from committees.notices import services as notice_services
from tests.factories import stored
from tests.notices.factories import NoticeFactory, days_ago, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def form_data(body, **fields):
    data = {
        "body": body.pk,
        "title": "微型消防站安全提示",
        "text": "冬季用电多，请不要在楼道充电。",
        "category": "safety",
        "for_whole_community": "on",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# Who may use the staff pages ----------------------------------------------------------


def test_staff_pages_send_anonymous_visitors_to_log_in(notice_bodies):
    notice = NoticeFactory(body=notice_bodies.qingfeng_1)
    client = Client()

    for url in (
        reverse("notices:manage_list"),
        reverse("notices:notice_create"),
        reverse("notices:notice_edit", args=[notice.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"]


def test_user_without_a_role_gets_403_on_new_notice(outsider_client, notice_bodies):
    assert outsider_client.get(reverse("notices:notice_create")).status_code == 403


def test_reader_without_a_manageable_body_gets_403_on_new_notice(member_client, notice_bodies):
    assert member_client.get(reverse("notices:notice_create")).status_code == 403


def test_member_of_another_body_gets_404_on_its_notices(log_in, notice_bodies):
    notice = NoticeFactory(body=notice_bodies.qingfeng_1, publish_at=None, title="一号院草稿")
    client = log_in(notice_bodies.bailajing_user)

    assert client.get(reverse("notices:notice_edit", args=[notice.pk])).status_code == 404
    assert (
        client.post(
            reverse("notices:notice_edit", args=[notice.pk]), form_data(notice_bodies.qingfeng_1)
        ).status_code
        == 404
    )
    assert client.post(reverse("notices:notice_publish", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notices:notice_withdraw", args=[notice.pk])).status_code == 404
    assert "一号院草稿" not in client.get(reverse("notices:manage_list")).text
    notice.refresh_from_db()
    assert notice.state == "draft"
    assert notice.title == "一号院草稿"


def test_member_of_another_body_cannot_read_its_draft(log_in, notice_bodies):
    notice = NoticeFactory(body=notice_bodies.qingfeng_1, publish_at=None)
    client = log_in(notice_bodies.bailajing_user)

    assert client.get(notice.get_absolute_url()).status_code == 404


def test_manage_list_shows_every_notice_of_the_users_bodies_only(log_in, notice_bodies):
    b = notice_bodies
    NoticeFactory(body=b.qingfeng_1, title="一号院草稿", publish_at=None)
    NoticeFactory(body=b.qingfeng_1, title="一号院已撤回", withdrawn_at=days_ago(0.1))
    NoticeFactory(body=b.bailajing, title="百腊井的通知")

    page = log_in(b.qingfeng_1_user).get(reverse("notices:manage_list")).text

    assert "一号院草稿" in page and "一号院已撤回" in page
    assert "百腊井的通知" not in page


def test_form_offers_only_the_bodies_the_user_may_act_for(log_in, notice_bodies):
    response = log_in(notice_bodies.qingfeng_1_user).get(reverse("notices:notice_create"))

    assert list(response.context["form"].fields["body"].queryset) == [notice_bodies.qingfeng_1]


def test_staff_may_draft_a_notice_for_a_body_of_the_community(staff_client, notice_bodies):
    response = staff_client.post(
        reverse("notices:notice_create"), form_data(notice_bodies.neighbourhood)
    )

    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.state == "draft"
    assert notice.body == notice_bodies.neighbourhood
    assert Client().get(notice.get_absolute_url()).status_code == 404


def test_saving_a_new_notice_says_residents_do_not_see_the_draft(staff_client, notice_bodies):
    response = staff_client.post(
        reverse("notices:notice_create"), form_data(notice_bodies.neighbourhood), follow=True
    )

    assert messages_of(response) == [
        "Saved as a draft: residents do not see it until it is published."
    ]


def test_correcting_a_published_notice_says_which_residents_see_it(
    staff_client, register, notice_bodies
):
    notice = NoticeFactory(body=notice_bodies.qingfeng_1, for_whole_community=False)
    notice.courtyards.set([register.courtyard_a1])
    notice.buildings.set([register.building_a2])

    response = staff_client.post(
        reverse("notices:notice_edit", args=[notice.pk]),
        form_data(
            notice_bodies.qingfeng_1,
            for_whole_community=None,
            courtyards=[register.courtyard_a1.pk],
            buildings=[register.building_a2.pk],
            reason="改正错字",
        ),
        follow=True,
    )

    b = register.building_a2
    assert messages_of(response) == [
        f"Published: residents of {register.courtyard_a1.name}, {b.compound.name} Building "
        f"{b.number} see it now."
    ]


def test_manage_list_labels_the_publish_date_and_says_what_publishing_does(
    staff_client, notice_bodies
):
    NoticeFactory(body=notice_bodies.neighbourhood, publish_at=None)

    page = staff_client.get(reverse("notices:manage_list")).text

    assert '<label class="visually-hidden" for="publish-' not in page
    assert "Empty: now." in page
    assert "A saved notice is a draft: only the staff of its body see it." in page


# Audience ----------------------------------------------------------------------------


def test_audience_must_be_chosen(staff_client, notice_bodies):
    response = staff_client.post(
        reverse("notices:notice_create"),
        form_data(notice_bodies.neighbourhood, for_whole_community=None),
    )

    assert response.status_code == 200
    assert "Choose the audience" in response.text
    assert not Notice.objects.exists()


def test_audience_of_chosen_places_is_kept(staff_client, register, notice_bodies):
    r = register
    response = staff_client.post(
        reverse("notices:notice_create"),
        form_data(
            notice_bodies.qingfeng_1,
            for_whole_community=None,
            courtyards=[r.courtyard_a1.pk],
            buildings=[r.building_a2.pk],
        ),
    )

    assert response.status_code == 302
    notice = Notice.objects.get()
    assert not notice.for_whole_community
    assert list(notice.courtyards.all()) == [r.courtyard_a1]
    assert list(notice.buildings.all()) == [r.building_a2]


def test_form_does_not_offer_places_of_another_community(staff_client, register, notice_bodies):
    response = staff_client.post(
        reverse("notices:notice_create"),
        form_data(
            notice_bodies.neighbourhood,
            for_whole_community=None,
            compounds=[register.compound_b.pk],
        ),
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Notice.objects.exists()


def test_a_place_key_past_the_databases_integers_is_an_invalid_choice(staff_client, notice_bodies):
    """Found by fuzzing: compounds=99999999999999999999 overflowed SQLite's integers (a 500)."""
    for field in ("compounds", "courtyards", "buildings"):
        response = staff_client.post(
            reverse("notices:notice_create"),
            form_data(notice_bodies.neighbourhood, for_whole_community=None, **{field: ["9" * 20]}),
        )

        assert response.status_code == 200
        assert response.context["form"].errors[field] == [
            "“99999999999999999999” is not a valid value."
        ]
    assert not Notice.objects.exists()


def test_audience_must_be_in_the_publishing_bodys_community(admin_client, register, notice_bodies):
    # The administrator is offered every place, so the service has the last word.
    response = admin_client.post(
        reverse("notices:notice_create"),
        form_data(
            notice_bodies.qingfeng_1,
            for_whole_community=None,
            buildings=[register.building_b.pk],
        ),
    )

    assert response.status_code == 200
    assert "The audience must be in the publishing body&#x27;s community." in response.text
    assert not Notice.objects.exists()


def test_service_refuses_an_audience_outside_the_bodys_community(register, notice_bodies):
    notice = Notice(
        body=notice_bodies.qingfeng_1, title="通知", text="内容", for_whole_community=False
    )

    with pytest.raises(ValidationError, match="community"):
        notice_services.notice_save(notice=notice, courtyards=[], compounds=[register.compound_b])

    assert not Notice.objects.exists()


# A body addresses its own place ------------------------------------------------------


def test_a_courtyard_committee_cannot_address_another_compound(log_in, notice_bodies):
    """The attack: Qingfeng No.1's chair published a forged notice for all of Bailajing."""
    b = notice_bodies
    client = log_in(b.qingfeng_1_user)

    for places in (
        {"compounds": [b.bailajing_compound.pk]},
        {"buildings": [b.bailajing_building.pk]},
    ):
        response = client.post(
            reverse("notices:notice_create"),
            form_data(
                b.qingfeng_1,
                title="百腊井小区全体业主：紧急停水通知（伪造）",
                for_whole_community=None,
                **places,
            ),
        )

        assert response.status_code == 200
        assert "Select a valid choice" in response.text
    assert not Notice.objects.exists()
    listing = Client().get(reverse("notices:notice_list"), {"compound": b.bailajing_compound.pk})
    assert "紧急停水通知" not in listing.text


def test_the_form_offers_a_courtyard_committee_its_own_compound_only(
    log_in, register, notice_bodies
):
    form = (
        log_in(notice_bodies.qingfeng_1_user).get(reverse("notices:notice_create")).context["form"]
    )

    assert list(form.fields["compounds"].queryset) == [register.compound_a]
    assert set(form.fields["courtyards"].queryset) == {register.courtyard_a1, register.courtyard_a2}
    assert set(form.fields["buildings"].queryset) == {register.building_a1, register.building_a2}
    assert "for_whole_community" not in form.fields


def test_a_courtyard_committee_addresses_its_compound_and_its_parts(
    log_in, register, notice_bodies
):
    response = log_in(notice_bodies.qingfeng_1_user).post(
        reverse("notices:notice_create"),
        form_data(
            notice_bodies.qingfeng_1,
            compounds=[register.compound_a.pk],
            courtyards=[register.courtyard_a1.pk],
            buildings=[register.building_a2.pk],
        ),
    )

    assert response.status_code == 302
    notice = Notice.objects.get()
    assert not notice.for_whole_community  # the form does not offer it to a compound's body
    assert list(notice.compounds.all()) == [register.compound_a]


def test_a_courtyard_committee_cannot_address_the_whole_community(notice_bodies):
    notice = Notice(body=notice_bodies.qingfeng_1, title="通知", text="内容")

    with pytest.raises(ValidationError) as refused:
        notice_services.notice_save(notice=notice)

    assert refused.value.messages == [
        "庆丰一号院业主委员会 addresses notices to its own compound, 庆丰小区: "
        "choose it, or some of its courtyards or buildings."
    ]
    assert not Notice.objects.exists()


def test_a_forged_post_for_another_compound_is_refused_by_the_service_too(
    staff_client, notice_bodies
):
    # Staff are offered every place of the community; the service has the last word on
    # what the chosen body may address.
    b = notice_bodies
    response = staff_client.post(
        reverse("notices:notice_create"),
        form_data(b.qingfeng_1, for_whole_community=None, compounds=[b.bailajing_compound.pk]),
    )

    assert response.status_code == 200
    assert (
        "庆丰一号院业主委员会 addresses notices to its own compound, 庆丰小区: "
        "choose it, or some of its courtyards or buildings."
    ) in response.context["form"].non_field_errors()
    assert not Notice.objects.exists()


def test_neighbourhood_staff_address_any_place_of_their_community(staff_client, notice_bodies):
    b = notice_bodies
    response = staff_client.post(
        reverse("notices:notice_create"),
        form_data(
            b.neighbourhood,
            for_whole_community=None,
            compounds=[b.bailajing_compound.pk],
            buildings=[b.bailajing_building.pk],
        ),
    )

    assert response.status_code == 302
    notice = Notice.objects.get()
    assert list(notice.compounds.all()) == [b.bailajing_compound]


# Corrections -------------------------------------------------------------------------


@pytest.fixture
def published(notice_bodies):
    return NoticeFactory(
        body=notice_bodies.neighbourhood,
        title="微型消防站演练通知",
        text="周六上午9点在文化休闲区演练。",
        category="safety",
    )


def test_correcting_a_published_notice_without_a_reason_is_refused(staff_client, published):
    url = reverse("notices:notice_edit", args=[published.pk])

    response = staff_client.post(
        url, form_data(published.body, title=published.title, text="周日上午9点在文化休闲区演练。")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        "Say what the correction changes: readers see it with the earlier text."
    ]
    published.refresh_from_db()
    assert published.text == "周六上午9点在文化休闲区演练。"
    assert not NoticeRevision.objects.exists()


def test_correction_with_a_reason_keeps_the_earlier_text_for_readers(
    staff_client, staff_user, published
):
    url = reverse("notices:notice_edit", args=[published.pk])

    response = staff_client.post(
        url,
        form_data(
            published.body,
            title=published.title,
            text="周日上午9点在文化休闲区演练。",
            reason="演练改到周日",
        ),
    )

    assert response.status_code == 302
    published.refresh_from_db()
    assert published.text == "周日上午9点在文化休闲区演练。"
    revision = published.revisions.get()
    assert (revision.text, revision.reason, revision.corrected_by) == (
        "周六上午9点在文化休闲区演练。",
        "演练改到周日",
        staff_user,
    )
    page = Client().get(published.get_absolute_url()).text
    assert "周日上午9点在文化休闲区演练。" in page
    assert "Corrections" in page
    assert "演练改到周日" in page
    assert "周六上午9点在文化休闲区演练。" in page


def test_a_draft_is_edited_without_a_revision(staff_client, notice_bodies):
    draft = NoticeFactory(body=notice_bodies.neighbourhood, publish_at=None, text="初稿")

    response = staff_client.post(
        reverse("notices:notice_edit", args=[draft.pk]), form_data(draft.body, text="第二稿")
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.text == "第二稿"
    assert not draft.revisions.exists()
    assert (
        "reason"
        not in staff_client.get(reverse("notices:notice_edit", args=[draft.pk]))
        .context["form"]
        .fields
    )


# Publishing and withdrawing ----------------------------------------------------------


def test_publishing_a_draft_makes_it_public(staff_client, notice_bodies):
    draft = NoticeFactory(body=notice_bodies.neighbourhood, publish_at=None, title="新通知")

    response = staff_client.post(reverse("notices:notice_publish", args=[draft.pk]), follow=True)

    assert (
        f"Published: residents of {notice_bodies.neighbourhood.community.name} see it now."
        in messages_of(response)
    )
    draft.refresh_from_db()
    assert draft.state == "published"
    assert "新通知" in Client().get(reverse("notices:notice_list")).text


def test_publishing_at_a_later_time_schedules_it(staff_client, notice_bodies):
    draft = NoticeFactory(body=notice_bodies.neighbourhood, publish_at=None)
    later = timezone.localtime() + datetime.timedelta(days=7)

    response = staff_client.post(
        reverse("notices:notice_publish", args=[draft.pk]),
        {"publish_at": later.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )

    assert messages_of(response) == [
        f"Scheduled: residents of {notice_bodies.neighbourhood.community.name} see it from "
        f"{later.day} {later:%b %Y %H:%M}; until then it stays a draft only your body sees."
    ]
    draft.refresh_from_db()
    assert draft.state == "scheduled"
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_publishing_after_the_expiry_is_refused_and_changes_nothing(staff_client, notice_bodies):
    draft = NoticeFactory(body=notice_bodies.neighbourhood, publish_at=None, expires_at=days_ago(1))

    response = staff_client.post(reverse("notices:notice_publish", args=[draft.pk]), follow=True)

    assert messages_of(response) == ["The notice would expire before it is published."]
    draft.refresh_from_db()
    assert draft.publish_at is None
    assert draft.state == "draft"


def test_scheduling_after_the_expiry_is_refused_and_changes_nothing(staff_client, notice_bodies):
    expires = timezone.now() + datetime.timedelta(days=2)
    draft = NoticeFactory(body=notice_bodies.neighbourhood, publish_at=None, expires_at=expires)
    later = timezone.localtime() + datetime.timedelta(days=5)

    response = staff_client.post(
        reverse("notices:notice_publish", args=[draft.pk]),
        {"publish_at": later.strftime("%Y-%m-%dT%H:%M")},
        follow=True,
    )

    assert messages_of(response) == ["The notice would expire before it is published."]
    draft.refresh_from_db()
    assert draft.publish_at is None


def test_withdrawing_takes_a_notice_off_the_public_pages(staff_client, published):
    response = staff_client.post(
        reverse("notices:notice_withdraw", args=[published.pk]), follow=True
    )

    assert "The notice is withdrawn." in messages_of(response)
    published.refresh_from_db()
    assert published.state == "withdrawn"
    anonymous = Client()
    assert anonymous.get(published.get_absolute_url()).status_code == 404
    assert published.title not in anonymous.get(reverse("notices:notice_list")).text
    # Its body still sees it, marked as withdrawn.
    assert "withdrawn" in staff_client.get(published.get_absolute_url()).text


def test_withdrawing_twice_is_refused_with_a_message(staff_client, published):
    notice_services.notice_withdraw(notice=published)
    withdrawn_at = stored(published).withdrawn_at

    response = staff_client.post(
        reverse("notices:notice_withdraw", args=[published.pk]), follow=True
    )

    assert messages_of(response) == ["The notice is already withdrawn."]
    assert stored(published).withdrawn_at == withdrawn_at


def test_a_withdrawn_notice_cannot_be_published_again(staff_client, published):
    notice_services.notice_withdraw(notice=published)

    response = staff_client.post(
        reverse("notices:notice_publish", args=[published.pk]), follow=True
    )

    assert messages_of(response) == [
        "A withdrawn notice cannot be published again; copy it into a new one."
    ]
    assert stored(published).state == "withdrawn"


# Uploads -----------------------------------------------------------------------------


def test_small_pdf_and_png_are_accepted_and_served(staff_client, notice_bodies):
    response = staff_client.post(
        reverse("notices:notice_create"),
        {
            **form_data(notice_bodies.neighbourhood),
            "attachments": [
                upload("协议.pdf", pdf_bytes(), "application/pdf"),
                upload("现场.png", png_bytes(), "image/png"),
            ],
        },
    )

    assert response.status_code == 302
    notice = Notice.objects.get()
    attachments = list(notice.attachments.all())
    assert [str(a) for a in attachments] == ["协议.pdf", "现场.png"]
    anonymous = Client()
    url = reverse("notices:attachment", args=[notice.pk, attachments[1].pk])
    assert anonymous.get(url).status_code == 404  # still a draft
    notice_services.notice_publish(notice=notice)
    served = anonymous.get(url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == png_bytes()


def test_disguised_file_is_refused_and_nothing_is_saved(staff_client, notice_bodies, media_root):
    response = staff_client.post(
        reverse("notices:notice_create"),
        {**form_data(notice_bodies.neighbourhood), "attachments": [upload("x.pdf", b"hello")]},
    )

    assert response.status_code == 200
    assert "Upload a photo (JPEG, PNG, GIF, WebP) or a PDF." in response.text
    assert not Notice.objects.exists()
    assert not NoticeAttachment.objects.exists()
    assert not any(p.is_file() for p in media_root.rglob("*"))


def test_file_over_5_mb_is_refused_and_nothing_is_saved(staff_client, notice_bodies, media_root):
    big = b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024)

    response = staff_client.post(
        reverse("notices:notice_create"),
        {**form_data(notice_bodies.neighbourhood), "attachments": [upload("大文件.pdf", big)]},
    )

    assert response.status_code == 200
    assert "The file is 6.01 MB; the limit is 5 MB." in response.text
    assert not Notice.objects.exists()
    assert not NoticeAttachment.objects.exists()
    assert not any(p.is_file() for p in media_root.rglob("*"))


def test_file_of_another_type_is_refused_by_its_name(staff_client, notice_bodies):
    response = staff_client.post(
        reverse("notices:notice_create"),
        {
            **form_data(notice_bodies.neighbourhood),
            "attachments": [upload("名单.docx", pdf_bytes())],
        },
    )

    assert response.status_code == 200
    assert "File extension “docx” is not allowed." in response.text
    assert not Notice.objects.exists()


def test_a_good_file_next_to_a_bad_one_leaves_nothing_behind(
    staff_client, notice_bodies, media_root
):
    response = staff_client.post(
        reverse("notices:notice_create"),
        {
            **form_data(notice_bodies.neighbourhood),
            "attachments": [
                upload("现场.png", png_bytes(), "image/png"),
                upload("x.pdf", b"hello"),
            ],
        },
    )

    assert response.status_code == 200
    assert "Upload a photo (JPEG, PNG, GIF, WebP) or a PDF." in response.text
    assert not Notice.objects.exists()
    assert not NoticeAttachment.objects.exists()
    assert not any(p.is_file() for p in media_root.rglob("*")), "a refused upload left a file"


def test_attachment_added_to_a_published_notice_is_refused_when_disguised(staff_client, published):
    response = staff_client.post(
        reverse("notices:notice_edit", args=[published.pk]),
        {
            **form_data(published.body, title=published.title, text=published.text),
            "attachments": [upload("x.png", b"hello")],
        },
    )

    assert response.status_code == 200
    assert not published.attachments.exists()


def test_building_choices_name_their_compound(staff_client, register, notice_bodies):
    response = staff_client.get(reverse("notices:notice_create"))

    labels = [label for _value, label in response.context["form"].fields["buildings"].choices]
    assert f"庆丰小区 {stored(register.building_a1)}" in labels
