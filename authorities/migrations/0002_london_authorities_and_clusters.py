"""Seed London's 33 LAs and the two cluster sets of DESIGN.md section 3."""

from django.db import migrations

# DfE code, name, ONS code, Inner/Outer, cluster in the five-footprint set.
AUTHORITIES = [
    ("201", "City of London", "E09000001", "inner", "North East"),
    ("202", "Camden", "E09000007", "inner", "North Central"),
    ("203", "Greenwich", "E09000011", "outer", "South East"),
    ("204", "Hackney", "E09000012", "inner", "North East"),
    ("205", "Hammersmith and Fulham", "E09000013", "inner", "North West"),
    ("206", "Islington", "E09000019", "inner", "North Central"),
    ("207", "Kensington and Chelsea", "E09000020", "inner", "North West"),
    ("208", "Lambeth", "E09000022", "inner", "South East"),
    ("209", "Lewisham", "E09000023", "inner", "South East"),
    ("210", "Southwark", "E09000028", "inner", "South East"),
    ("211", "Tower Hamlets", "E09000030", "inner", "North East"),
    ("212", "Wandsworth", "E09000032", "inner", "South West"),
    ("213", "Westminster", "E09000033", "inner", "North West"),
    ("301", "Barking and Dagenham", "E09000002", "outer", "North East"),
    ("302", "Barnet", "E09000003", "outer", "North Central"),
    ("303", "Bexley", "E09000004", "outer", "South East"),
    ("304", "Brent", "E09000005", "outer", "North West"),
    ("305", "Bromley", "E09000006", "outer", "South East"),
    ("306", "Croydon", "E09000008", "outer", "South West"),
    ("307", "Ealing", "E09000009", "outer", "North West"),
    ("308", "Enfield", "E09000010", "outer", "North Central"),
    ("309", "Haringey", "E09000014", "inner", "North Central"),
    ("310", "Harrow", "E09000015", "outer", "North West"),
    ("311", "Havering", "E09000016", "outer", "North East"),
    ("312", "Hillingdon", "E09000017", "outer", "North West"),
    ("313", "Hounslow", "E09000018", "outer", "North West"),
    ("314", "Kingston upon Thames", "E09000021", "outer", "South West"),
    ("315", "Merton", "E09000024", "outer", "South West"),
    ("316", "Newham", "E09000025", "inner", "North East"),
    ("317", "Redbridge", "E09000026", "outer", "North East"),
    ("318", "Richmond upon Thames", "E09000027", "outer", "South West"),
    ("319", "Sutton", "E09000029", "outer", "South West"),
    ("320", "Waltham Forest", "E09000031", "outer", "North East"),
]

# The four-sub-region set merges the two southern footprints.
FOUR_SUBREGIONS = {"South East": "South", "South West": "South"}


def _slug(name):
    return name.lower().replace(" ", "-")


def seed(apps, schema_editor):
    LocalAuthority = apps.get_model("authorities", "LocalAuthority")
    ClusterSet = apps.get_model("authorities", "ClusterSet")
    Cluster = apps.get_model("authorities", "Cluster")

    five, _ = ClusterSet.objects.get_or_create(
        slug="health-footprints",
        defaults={"name": "Five health-system footprints", "is_default": True},
    )
    four, _ = ClusterSet.objects.get_or_create(
        slug="four-sub-regions", defaults={"name": "Four sub-regions"}
    )

    for dfe_code, name, ons_code, inner_outer, footprint in AUTHORITIES:
        authority, _ = LocalAuthority.objects.update_or_create(
            dfe_code=dfe_code,
            defaults={"name": name, "ons_code": ons_code, "inner_outer": inner_outer},
        )
        subregion = FOUR_SUBREGIONS.get(footprint, footprint)
        for cluster_set, cluster_name in ((five, footprint), (four, subregion)):
            cluster, _ = Cluster.objects.get_or_create(
                cluster_set=cluster_set,
                slug=_slug(cluster_name),
                defaults={"name": cluster_name},
            )
            cluster.authorities.add(authority)


class Migration(migrations.Migration):
    dependencies = [("authorities", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
