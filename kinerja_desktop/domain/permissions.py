"""Roles and who may do what. The services enforce this; the UI only hides."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kinerja_desktop.domain.errors import PermissionDenied


class Role(StrEnum):
    ADMIN = "administrator"
    SEKRETARIS = "sekretaris"
    KASUBAG = "kasubag"
    TIM = "tim"  # member of a Tim Penyusun Data (held through team membership)

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.SEKRETARIS: "Sekretaris",
    Role.KASUBAG: "Kasubag",
    Role.TIM: "Tim Penyusun Data",
}

#: Roles stored as rows; TIM comes from team membership.
ASSIGNABLE_ROLES = (Role.ADMIN, Role.SEKRETARIS, Role.KASUBAG)


@dataclass(frozen=True)
class Principal:
    """Who is acting, as read from the database inside the same transaction."""

    person_id: int
    name: str
    roles: frozenset[Role]
    team_ids: frozenset[int]

    def has(self, role: Role) -> bool:
        return role in self.roles

    def describe_roles(self) -> str:
        return ", ".join(r.label for r in Role if r in self.roles) or "tanpa peran"


def may_act_on_step(principal: Principal, executor: Role, team_id: int | None) -> bool:
    """Whether ``principal`` may start or finish a step whose pelaksana is ``executor``."""
    if executor is Role.TIM:
        return team_id is not None and team_id in principal.team_ids
    return executor in principal.roles


def require_step(principal: Principal, executor: Role, team_id: int | None, step_no: int) -> None:
    if may_act_on_step(principal, executor, team_id):
        return
    if executor is Role.TIM:
        raise PermissionDenied(
            f"Langkah {step_no} hanya dapat dilakukan oleh anggota tim yang bersangkutan."
        )
    raise PermissionDenied(f"Langkah {step_no} hanya dapat dilakukan oleh {executor.label}.")


def require_role(principal: Principal, role: Role, what: str) -> None:
    if role not in principal.roles:
        raise PermissionDenied(f"{what} hanya dapat dilakukan oleh {role.label}.")


def require_team_member(principal: Principal, team_id: int, what: str) -> None:
    if team_id not in principal.team_ids:
        raise PermissionDenied(f"{what} hanya dapat dilakukan oleh anggota tim yang bersangkutan.")
