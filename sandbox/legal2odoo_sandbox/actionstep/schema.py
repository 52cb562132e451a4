"""What the fake knows about Actionstep's resources: link targets and timestamp attributes."""

from __future__ import annotations

# link name -> resource type it points at, per resource (drives `links`, `include`, brackets).
LINK_TYPES: dict[str, dict[str, str]] = {
    "actions": {
        "assignedTo": "participants",
        "division": "participants",
        "actionType": "actiontypes",
        "primaryParticipants": "participants",
        "step": "steps",
        "billSettings": "actionbillsettings",
        "relatedActions": "actions",
    },
    "actiontypes": {"primaryParticipantType": "participanttypes"},
    "steps": {"actionType": "actiontypes", "assignToParticipantType": "participanttypes"},
    "participants": {
        "physicalCountry": "countries",
        "mailingCountry": "countries",
        "division": "participants",
    },
    "participanttypes": {},
    "users": {
        "participant": "participants",
        "role": "roles",
        "division": "participants",
        "defaultRate": "rates",
        "rate": "rates",
        "defaultUtbmsTimekeeperCode": "utbmscodes",
    },
    "phonerecords": {"participant": "participants"},
    "actionparticipants": {
        "action": "actions",
        "participantType": "participanttypes",
        "participant": "participants",
    },
    "filenotes": {
        "action": "actions",
        "document": "actiondocuments",
        "participant": "participants",
        "tags": "tags",
    },
    "actiondocuments": {
        "action": "actions",
        "folder": "actionfolders",
        "createdBy": "participants",
        "checkedOutBy": "participants",
        "tags": "tags",
        "documentTemplate": "documenttemplates",
    },
    "tasks": {
        "action": "actions",
        "assignee": "participants",
        "rate": "rates",
        "template": "tasktemplates",
    },
    "emails": {"createdBy": "participants", "parent": "emails"},
    "emailassociations": {"email": "emails", "action": "actions"},
    "timeentries": {
        "task": "tasks",
        "quickCode": "quickcodes",
        "createdBy": "participants",
        "owner": "participants",
        "action": "actions",
        "rate": "rates",
        "phoneRecord": "phonerecords",
    },
    "timerecords": {
        "owner": "participants",
        "activity": "activities",
        "division": "participants",
        "task": "tasks",
        "createdBy": "participants",
        "action": "actions",
        "rate": "rates",
    },
    "bills": {"division": "participants", "action": "actions", "theirParticipant": "participants"},
    "disbursements": {
        "action": "actions",
        "enteredByParticipant": "participants",
        "uom": "uoms",
        "taxCode": "taxcodes",
        "incomeAccount": "accounts",
    },
    "datacollections": {"actionType": "actiontypes"},
    "datacollectionfields": {"dataCollection": "datacollections", "tag": "tags"},
    "datacollectionrecords": {"action": "actions", "dataCollection": "datacollections"},
    "datacollectionrecordvalues": {
        "action": "actions",
        "dataCollectionField": "datacollectionfields",
        "dataCollectionRecord": "datacollectionrecords",
        "dataCollection": "datacollections",
    },
    "participanttypedatafields": {"participantType": "participanttypes"},
    "participantdatafieldvalues": {
        "participant": "participants",
        "participantType": "participanttypes",
        "action": "actions",
        "dataField": "participanttypedatafields",
    },
}
RESOURCES = tuple(LINK_TYPES)
FILES_RESOURCE = "files"
ORGKEY = "hartmancole"
# Sandbox credentials: fake, public, documented; a real run takes its own from the environment.
SANDBOX_CLIENT_ID = "sandbox-client"
SANDBOX_CLIENT_SECRET = "sandbox-secret"
SANDBOX_REFRESH_TOKEN = "sandbox-refresh-token"
