-- Lead columns of the exports that are not in the column map (kind unknown: proposed custom
-- intake fields) or that the seed captorra_columns maps onto an existing crm.lead field (kind
-- mapped, target = the field), one row per raw column: the header of its newest run
-- (base_captorra__export_columns).
with export_columns as (
    select * from {{ ref('base_captorra__export_columns') }}
)

select
    column_name,
    header,
    kind,
    {{ blank_to_null('target') }} as target_field
from export_columns
