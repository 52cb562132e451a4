-- How extract named each export header in raw, one row per dataset, column and extract run:
-- standard (a canonical field), custom (a registry field), unknown (not in the column map),
-- mapped (onto an existing crm.lead field by the seed captorra_columns), ignored, or absent
-- (an optional canonical field the export lacks).
with columns as (
    select * from {{ source('captorra', 'columns') }}
)

select
    dataset,
    column_name,
    header,
    kind,
    {{ blank_to_null('target') }} as target_field,
    _run_id as extract_run_id
from columns
