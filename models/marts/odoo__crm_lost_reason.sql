-- Lost reasons (crm.lost.reason): one per lost stage name of either source (Actionstep "Closed
-- Lost", Captorra "Declined" / "Rejected" / "Referred Out"), named after it; the lost leads
-- point at them (lost_reason_id).
with lost as (
    select
        lost_reason_xmlid,
        stage_name as name,
        'captorra' as source_system
    from {{ ref('int_captorra__leads') }}
    where lost_reason_xmlid is not null

    union all

    select
        lost_reason_xmlid,
        step_name,
        'actionstep'
    from {{ ref('int_actionstep__leads') }}
    where lost_reason_xmlid is not null
),

reasons as (
    select
        lost_reason_xmlid,
        min(name) as name,
        string_agg(distinct source_system, ',' order by source_system) as source_systems
    from lost
    group by lost_reason_xmlid
),

final as (
    select
        lost_reason_xmlid as id,
        name,
        source_systems as _source_system,
        'stage' as _source_model,
        name as _source_id
    from reasons
)

select
    *,
    {{ row_hash() }} as _row_hash
from final
