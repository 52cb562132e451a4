-- Lead columns of the exports that are not in the column map (kind unknown: proposed custom
-- intake fields) or that the seed captorra_columns maps onto an existing crm.lead field (kind
-- mapped, target = the field), one row per raw column: the header of its newest run.
with columns as (
    select * from {{ source('captorra', 'columns') }}
    where dataset = 'leads' and kind in ('unknown', 'mapped')
)

select
    column_name,
    header,
    kind,
    {{ blank_to_null('target') }} as target_field
from columns
qualify row_number() over (partition by column_name order by _run_id desc) = 1
