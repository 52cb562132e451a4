"""The resources the twelve mappings need, and how each is read incrementally."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResourceSpec:
    name: str
    # attribute to filter `_gteq` on in a delta run; None = full re-pull every run
    since_field: str | None = None
    # True when the timestamp only says "created": edits are seen on the next --full pass
    append_only: bool = False


RESOURCES: tuple[ResourceSpec, ...] = (
    ResourceSpec("actiontypes"),
    ResourceSpec("steps"),
    ResourceSpec("participanttypes"),
    ResourceSpec("users"),
    ResourceSpec("actions", "modifiedTimestamp"),
    ResourceSpec("participants", "modifiedTimestamp"),
    ResourceSpec("phonerecords"),
    ResourceSpec("actionparticipants"),
    ResourceSpec("filenotes", "enteredTimestamp", append_only=True),
    ResourceSpec("actiondocuments", "modifiedTimestamp"),
    ResourceSpec("tasks", "lastModifiedTimestamp"),
    ResourceSpec("emails", "createdTimestamp", append_only=True),
    ResourceSpec("emailassociations"),
    ResourceSpec("timeentries", "createdTimestamp", append_only=True),
    ResourceSpec("timerecords", "createdTimestamp", append_only=True),
    ResourceSpec("bills", "modifiedTimestamp"),
    ResourceSpec("disbursements", "enteredTimestamp", append_only=True),
    ResourceSpec("datacollections"),
    ResourceSpec("datacollectionfields"),
    ResourceSpec("datacollectionrecords"),
    ResourceSpec("datacollectionrecordvalues", "last_modified_time_stamp"),
    ResourceSpec("participanttypedatafields"),
    ResourceSpec("participantdatafieldvalues"),
)
BY_NAME = {spec.name: spec for spec in RESOURCES}
FILES_DATASET = "files_manifest"
REMOVALS_DATASET = "removals"
TRUST_DATASET = "trust_transactions"
