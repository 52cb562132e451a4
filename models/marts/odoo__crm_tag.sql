-- CRM tags (crm.tag): one per Actionstep matter type, on its matters (the stage category of
-- mapping 1).
with types as (
    select * from {{ ref('stg_actionstep__action_types') }}
),

final as (
    select
        {{ external_id("'actionstep_matter_type'", 'action_type_id') }} as id,
        name,
        'actionstep' as _source_system,
        'actiontype' as _source_model,
        cast(action_type_id as varchar) as _source_id
    from types
)

select
    *,
    {{ row_hash() }} as _row_hash
from final
