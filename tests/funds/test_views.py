import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.funds import services
from committees.models import FundEntry, Notice
from tests.conftest import logged_in
from tests.factories import AccessGrantFactory, UserFactory
from tests.funds.conftest import receipt

pytestmark = pytest.mark.django_db

K, C = FundEntry.Kind, FundEntry.Category


def entry(fund, **kwargs):
    data = {
        "kind": K.INCOME,
        "category": C.FEES,
        "amount": Decimal("1234.50"),
        "date": datetime.date(2023, 3, 1),
        "description": "18栋张三交公共服务费",
    }
    data.update(kwargs)
    return services.fund_entry_add(fund=fund, **data)


@pytest.fixture
def community_b_user(register):
    user = UserFactory(username="qianling")
    AccessGrantFactory(user=user, compound=register.compound_b)
    return user


@pytest.fixture
def bailajing_reader(bodies):
    """Sees Bailajing through a grant but holds no seat: reads only."""
    user = UserFactory(username="reader")
    AccessGrantFactory(user=user, compound=bodies.bailajing_compound)
    return user


def test_fund_list_shows_the_funds_in_scope_with_their_balances(staff_client, fund, fund_b):
    entry(fund)
    response = staff_client.get(reverse("funds:list"))
    assert [f.name for f in response.context["funds"]] == ["百腊井小区业委会工作经费"]
    assert "¥1,334.50" in response.text  # grouped, as every amount of money


def test_member_of_another_compound_gets_404(community_b_user, fund, fund_b):
    client = logged_in(community_b_user)
    assert client.get(reverse("funds:detail", args=[fund.pk])).status_code == 404
    assert client.get(reverse("funds:entry_add", args=[fund.pk])).status_code == 404
    assert client.get(reverse("funds:detail", args=[fund_b.pk])).status_code == 200


def test_a_reader_without_a_seat_sees_the_fund_but_cannot_record(bailajing_reader, fund):
    client = logged_in(bailajing_reader)
    assert client.get(reverse("funds:detail", args=[fund.pk])).status_code == 200
    assert client.get(reverse("funds:entry_add", args=[fund.pk])).status_code == 403
    assert client.post(reverse("funds:entry_add", args=[fund.pk]), {}).status_code == 403


def test_the_committee_chair_records_an_expense_with_its_receipt(bodies, fund):
    client = logged_in(bodies.bailajing_user)
    response = client.post(
        reverse("funds:entry_add", args=[fund.pk]),
        {
            "kind": "expense",
            "category": "repairs",
            "amount": "680.00",
            "date": timezone.localdate().isoformat(),
            "description": "修补路面",
            "receipt": receipt(),
        },
    )
    assert response.status_code == 302
    saved = FundEntry.objects.get()
    assert (saved.amount, saved.recorded_by) == (Decimal("680.00"), bodies.bailajing_user)
    page = client.get(reverse("funds:detail", args=[fund.pk]))
    assert reverse("funds:receipt", args=[fund.pk, saved.pk]) in page.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"category": "repairs"}, "is not a category of income"),
        ({"amount": "0"}, "greater than or equal to 0.01"),
        ({"amount": "12.345"}, "no more than 2 decimal places"),
        ({"amount": "abc"}, "Enter a number."),
        ({"kind": "expense", "category": "repairs", "amount": "800"}, "Attach the receipt"),
        ({"date": "2199-01-01"}, "cannot lie in the future"),
        ({"date": "2999-01-01"}, "Enter a date between the years 1900 and 2200."),
    ],
)
def test_bad_input_shows_a_message_and_records_nothing(staff_client, fund, data, message):
    post = {
        "kind": "income",
        "category": "fees",
        "amount": "100",
        "date": "2023-03-01",
        "description": "公共服务费",
        **data,
    }
    response = staff_client.post(reverse("funds:entry_add", args=[fund.pk]), post)
    assert response.status_code == 200
    assert message in response.text
    assert not FundEntry.objects.exists()


def test_a_receipt_is_served_only_within_scope(staff_client, community_b_user, fund):
    saved = entry(fund, kind=K.EXPENSE, category=C.REPAIRS, receipt=receipt())
    url = reverse("funds:receipt", args=[fund.pk, saved.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert logged_in(community_b_user).get(url).status_code == 404
    no_receipt = entry(fund)
    assert (
        staff_client.get(reverse("funds:receipt", args=[fund.pk, no_receipt.pk])).status_code == 404
    )


def test_public_page_shows_totals_and_no_personal_data(client, fund, bodies):
    entry(fund, recorded_by=bodies.bailajing_user)
    entry(fund, kind=K.EXPENSE, category=C.REPAIRS, amount=Decimal("99.50"), receipt=receipt())
    response = client.get(reverse("funds:public", args=[fund.compound_id]))
    assert response.status_code == 200
    assert (
        "¥1,234.50" in response.text and "¥99.50" in response.text and "¥1,235.00" in response.text
    )
    for private in ("张三", "18栋", "/receipt/", ".pdf", bodies.bailajing_user.username, "湘黔"):
        assert private not in response.text


def test_public_page_by_year_and_of_an_unknown_compound(client, fund):
    entry(fund)
    response = client.get(reverse("funds:public", args=[fund.compound_id]), {"year": "2022"})
    assert response.context["year"] == 2022
    assert response.context["totals"]["period"]["income"] == Decimal("0.00")
    assert response.context["totals"]["overall"]["income"] == Decimal("1234.50")
    assert client.get(reverse("funds:public", args=[99999])).status_code == 404


def test_notices_link_to_the_public_accounts(client, fund, bodies):
    response = client.get(reverse("notices:notice_list"))
    assert reverse("funds:public", args=[fund.compound_id]) in response.text
    notice = Notice.objects.create(
        body=bodies.bailajing,
        title="2023年度账目公示",
        text="详见公开账目。",
        category=Notice.Category.DISCLOSURE,
        publish_at=timezone.now() - datetime.timedelta(hours=1),
    )
    response = client.get(notice.get_absolute_url())
    assert reverse("funds:public", args=[fund.compound_id]) in response.text
