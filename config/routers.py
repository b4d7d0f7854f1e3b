"""Database routing: everything on the primary, the read replica only where code asks for it by name.

When `CARELEAD_DATABASE_REPLICA_URL` is set, settings add a `replica` alias for a PostgreSQL streaming replica.
Nothing goes there unless a query says `.using("replica")`: the heavy read-only work that can stand a replica
a few seconds behind (docs/scaling.md lists it). This router only keeps that safe: whatever is read from the
replica is written back to the primary, objects read from either may be related, and migrations run on the
primary alone (a replica receives them by streaming).
"""

PRIMARY = "default"
REPLICA = "replica"
_SAME_DATA = {PRIMARY, REPLICA}


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        # No opinion: Django reads from the database the hinted instance came from, else the primary.
        return None

    def db_for_write(self, model, **hints):
        # A replica is read-only, so writes always go to the primary, even for an object read from the replica.
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        if obj1._state.db in _SAME_DATA and obj2._state.db in _SAME_DATA:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == REPLICA:
            return False
        return None
