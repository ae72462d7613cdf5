"""Care records (关爱, 连心桥): residents in difficulty whom the neighbourhood committee looks
after, visited at a set interval. The model is `residents.models.CareRecord`; its reads,
writes, forms and pages are here. The visits themselves are recorded with the other
door-to-door visits (meetings/visits/), under the purpose named below."""

# A visit's purpose (meetings' Visit.Purpose.CARE) when it is a care visit: care records
# read their visits through related names by this value, so it is named once, here.
CARE_VISIT_PURPOSE = "care"
