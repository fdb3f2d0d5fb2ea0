"""Comparison groups: all London, Inner and Outer London, and every cluster.

A group is named by a short key that travels in URLs and exports:
`london`, `inner`, `outer`, or `cluster:<set slug>:<cluster slug>`.
"""

from dataclasses import dataclass

from authorities.models import Cluster, LocalAuthority

LONDON = "london"


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    authority_ids: frozenset[int]


def comparison_groups() -> list[Group]:
    """Every comparison group, all London first."""
    authorities = list(LocalAuthority.objects.all())
    groups = [
        Group(LONDON, "All London", frozenset(a.pk for a in authorities)),
        Group(
            "inner",
            "Inner London",
            frozenset(a.pk for a in authorities if a.inner_outer == "inner"),
        ),
        Group(
            "outer",
            "Outer London",
            frozenset(a.pk for a in authorities if a.inner_outer == "outer"),
        ),
    ]
    clusters = Cluster.objects.select_related("cluster_set").prefetch_related(
        "authorities"
    )
    for cluster in clusters:
        groups.append(
            Group(
                f"cluster:{cluster.cluster_set.slug}:{cluster.slug}",
                f"{cluster.name} ({cluster.cluster_set.name})",
                frozenset(a.pk for a in cluster.authorities.all()),
            )
        )
    return groups


def group_by_key(key: str) -> Group | None:
    for group in comparison_groups():
        if group.key == key:
            return group
    return None
