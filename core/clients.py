"""The one place the product builds its Fxiaoke and K3Cloud clients for a profile."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from core.fxiaoke.client import FxiaokeClient
from core.fxiaoke.tokens import TokenCache
from core.http import Sink
from core.k3cloud.client import K3CloudClient
from core.profiles import Profile, ProfileSecrets
from core.secrets import SecretStore
from core.store import Database
from core.store.operators import db_operator_cache


@dataclass
class ClientFactory:
    """Builds clients of one profile; every client it builds sends its exchanges to ``sinks``.

    Args:
        profile: the profile; secrets: its secrets (read from ``store``).
        store: where the Fxiaoke token is cached (the keyring; memory in demo mode, so demo tokens never reach it).
        db: the store holding the operator id cache; profile_id: the profile's row there.
        sinks: receivers of every (redacted) exchange record.
    """

    profile: Profile
    secrets: ProfileSecrets
    store: SecretStore
    db: Database
    profile_id: int
    sinks: Sequence[Sink] = field(default_factory=list)

    def fx(self) -> FxiaokeClient:
        return FxiaokeClient(self.profile, self.secrets, sinks=self.sinks,
                             token_cache=TokenCache(self.store, self.profile.name),
                             operator_cache=db_operator_cache(self.db, self.profile_id))

    def k3(self) -> K3CloudClient:
        return K3CloudClient(self.profile, self.secrets, sinks=self.sinks)

    def k3_anonymous(self) -> K3CloudClient:
        return anonymous_k3(self.profile, self.sinks)


def anonymous_k3(profile: Profile, sinks: Sequence[Sink] = ()) -> K3CloudClient:
    """A K3Cloud client without credentials: GetDataCenterList needs only the URL (and CA bundle)."""
    return K3CloudClient(profile, ProfileSecrets(), sinks=sinks)
