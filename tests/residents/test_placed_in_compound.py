"""One rule for everything placed in a compound or one of its courtyards (PlacedInCompound):
a building, a facility, a fund, a committee."""

import pytest
from django.core.exceptions import ValidationError

from committees.models import Body, Facility, Fund
from residents.models import Building, PlacedInCompound
from tests.factories import BodyFactory, BuildingFactory, CompoundFactory, CourtyardFactory

pytestmark = pytest.mark.django_db

MESSAGES = {
    Building: "The courtyard must belong to the building's compound.",
    Facility: "The courtyard must belong to the facility's compound.",
    Fund: "The courtyard must belong to the fund's compound.",
    Body: "The courtyard must belong to the compound.",
}


def placed(model, compound, courtyard):
    if model is Building:
        return BuildingFactory.build(compound=compound, courtyard=courtyard)
    if model is Body:
        return BodyFactory.build(compound=compound, courtyard=courtyard)
    if model is Fund:
        return Fund(compound=compound, courtyard=courtyard, name="小区资金")
    return Facility(compound=compound, courtyard=courtyard, name="健身区", kind="fitness")


@pytest.mark.parametrize("model", MESSAGES, ids=lambda m: m.__name__)
def test_a_courtyard_of_another_compound_is_refused_with_the_models_own_words(model):
    assert issubclass(model, PlacedInCompound)
    thing = placed(model, CompoundFactory(), CourtyardFactory())
    with pytest.raises(ValidationError) as error:
        thing.clean()
    assert error.value.message_dict == {"courtyard": [MESSAGES[model]]}


@pytest.mark.parametrize("model", MESSAGES, ids=lambda m: m.__name__)
def test_a_courtyard_of_the_compound_is_accepted(model):
    courtyard = CourtyardFactory()
    placed(model, courtyard.compound, courtyard).clean()
