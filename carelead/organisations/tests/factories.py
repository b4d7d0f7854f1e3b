import factory

from carelead.core.choices import OrganisationType, Sector
from carelead.organisations.models import Organisation
from carelead.organisations.services import organisation_tree_rebuild


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"R{n:03d}")
    name = factory.Sequence(lambda n: f"Test Trust {n}")
    type = OrganisationType.TRUST
    sector = Sector.NHS

    @factory.post_generation
    def rebuild(obj, create, extracted, **kwargs):
        if create:
            organisation_tree_rebuild()
            obj.refresh_from_db()
