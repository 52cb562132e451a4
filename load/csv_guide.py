"""IMPORT.md: the walk through Odoo's own import wizard, file by file, menu path by menu path."""

from __future__ import annotations

from legal2odoo.load.csv_files import ImportFile

SETTINGS = (
    "# Importing into Odoo without the API",
    "",
    "These files go through Odoo's own import wizard, in the order below, on any Odoo 17",
    "(Community, Online, Odoo.sh): nothing in them is a database id of another Odoo.",
    "",
    "## Before you start",
    "",
    "- Turn on developer mode (Settings → Activate the developer mode): custom fields and",
    "  external ids are imported from Settings → Technical.",
    "- Set your user's timezone to **UTC** (avatar → Preferences) while importing: the files",
    "  hold UTC and the wizard reads datetimes in the importing user's timezone.",
    "- Owners are named by **login** in the `user_id` columns; every login must be a user of",
    "  this Odoo (Settings → Users). Logins used: {logins}.",
    "- A message author that is an Odoo user is named by that user's name in `author_id`",
    "  (files `…__by_user_…`): the wizard looks the partner up by name.",
    "- The wizard cannot stop Odoo from notifying the assignee of every imported activity",
    '  owned by another user (an "assigned to you" message, and an e-mail when outgoing mail',
    "  works): one per activity. The API route (`legal2odoo load --to odoo`) turns that off.",
    "",
    "## How to import one file",
    "",
    "Open the model's list view (the menu is in the table below), then the gear (⚙) next",
    "to the view's title → **Import records** → **Upload File**, and pick the file. Leave",
    "**Encoding** empty (the file is UTF-8 with a byte-order mark; Odoo detects it),",
    'separator **comma**, text delimiter **"**, *Use first row as header* ticked. Every column',
    "maps to its field by itself: check none is *To import* left blank. Press **Test**; with",
    "no error, press **Import**. Files hold at most 2,000 rows (one wizard batch) and at most",
    "20 MB (the upload limit is 128 MB).",
    "",
    "- `id` is the external id (module `legal2odoo`): importing a file again updates, never",
    "  duplicates, so a file that failed halfway can simply be imported again.",
    "- `__self` files set references into the same model (a contact's company, a matter's",
    "  related matter): the wizard finds a record by external id only once it exists.",
    "- `__verbatim` files repeat, as they are, the values a spreadsheet would run as formulas",
    "  (text starting with = + - @ or a tab): the main file holds them neutralised with a",
    "  leading apostrophe so it opens safely; the verbatim file, imported right after it,",
    "  puts the source value back. **Do not open `__verbatim` files in a spreadsheet.**",
    "- *Closed Date* of won and lost leads is read-only in the wizard: Odoo sets it to the",
    "  time of the import; the source's date of the close is in *Original Modified*.",
    "- Opening any other file in a spreadsheet is safe; if you edit one, save it as CSV UTF-8.",
    "",
)

MENUS = {
    "ir.model.data": "Settings → Technical → Sequences & Identifiers → External Identifiers",
    "res.partner.category": "Contacts → Configuration → Tags",
    "crm.team": "CRM → Configuration → Sales Teams",
    "crm.stage": "CRM → Configuration → Stages",
    "crm.tag": "CRM → Configuration → Tags",
    "ir.model.fields": "Settings → Technical → Database Structure → Fields",
    "ir.model.fields.selection": "Settings → Technical → Database Structure → Fields Selection",
    "res.partner": "Contacts (list view)",
    "crm.lead": "CRM → Pipeline (list view)",
    "ir.attachment": "Settings → Technical → Database Structure → Attachments",
    "mail.activity": "Settings → Technical → Discuss → Activities",
    "mail.message": "Settings → Technical → Discuss → Messages",
}

LINK_STEP = (
    "",
    "## Step 2: give messages, activities and files their record",
    "",
    "Chatter messages, activities and files hang on a lead through `res_id`, the lead's",
    "database id in *this* Odoo, which only exists now. Export the external ids with their",
    "ids, then let `legal2odoo` fill them in:",
    "",
    "1. Settings → Technical → Sequences & Identifiers → **External Identifiers**; search",
    "   *Module* `legal2odoo`; tick the header checkbox, then **Select all**.",
    "2. Action (gear) → **Export**; leave *I want to update data* unticked; export",
    "   **Complete ID** and **Record ID** as **CSV**.",
    "   (Or from CRM → Pipeline and CRM → Leads in list view, with the *Archived* filter for",
    "   a second file: export **External ID** and **ID**.)",
    "3. Run `legal2odoo csv link-ids <the exported file(s)>` (default folder: this one). It",
    "   writes the `.csv` files of step 3 next to their `.needs-ids.csv` templates and",
    "   stops, writing nothing, when a record is missing from the export.",
    "",
    "## Step 3: import the linked files, in this order",
    "",
)


def import_guide(files: list[ImportFile], logins: list[str] | None = None) -> str:
    first = [f for f in files if not _after_link(f, files)]
    later = [f for f in files if _after_link(f, files)]
    used = ", ".join(f"`{x}`" for x in logins) if logins else "see the `user_id` columns"
    lines = [line.replace("{logins}", used) for line in SETTINGS]
    lines += ["## Step 1: import these files, in this order", ""]
    lines += _table(first, 1)
    if later:
        lines += LINK_STEP
        lines += _table([_linked(f) for f in later], len(first) + 1)
    return "\n".join(lines) + "\n"


def _after_link(file: ImportFile, files: list[ImportFile]) -> bool:
    """Templates and every later file of a model that has templates (its verbatim repeat)."""
    return file.stage == "needs-ids" or any(
        f.stage == "needs-ids" and f.path.name[:3] == file.path.name[:3] for f in files
    )


def _linked(file: ImportFile) -> ImportFile:
    name = file.path.name.replace(".needs-ids.csv", ".csv")
    return ImportFile(file.path.with_name(name), file.model, file.rows, file.stage, file.note)


def _table(files: list[ImportFile], start: int) -> list[str]:
    lines = [
        "| # | file | Odoo model | import from | rows | note |",
        "|---|------|------------|-------------|-----:|------|",
    ]
    for n, f in enumerate(files, start):
        menu = MENUS.get(f.model, f.model)
        lines.append(f"| {n} | `{f.path.name}` | `{f.model}` | {menu} | {f.rows:,} | {f.note} |")
    return lines
