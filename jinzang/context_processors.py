from django.utils.functional import SimpleLazyObject

from residents.models import Access


def access(request):
    """`access` in every template: what the current user may see (read lazily, once)."""
    return {"access": SimpleLazyObject(lambda: Access.of(request.user))}
