-- The stage set of each team, from int_captorra__stages (the editable seed `captorra_stages`
-- and the statuses it does not list; several statuses
-- may share one stage: the first by sequence defines it), then one stage per Actionstep step
-- name (seed `stages`) on the Actionstep matters team.
with stages as (
    select * from {{ ref('int_captorra__stages') }}
),

one_per_stage as (
    select *
    from stages
    qualify row_number() over (partition by pipeline, stage_name order by sequence, status) = 1
),

final as (
    select
        {{ external_id("'captorra_stage'", "pipeline || '_' || stage_name") }} as id,
        stage_name as name,
        sequence,
        is_won,
        fold,
        {{ external_id("'captorra_team'", 'pipeline') }} as "team_id/id",
        'captorra' as _source_system,
        'status' as _source_model,
        pipeline || ' / ' || stage_name as _source_id
    from one_per_stage

    union all

    select
        stage_xmlid as id,
        step_name as name,
        sequence,
        is_won,
        fold,
        {{ external_id("'actionstep_team'", "'matters'") }} as "team_id/id",
        'actionstep' as _source_system,
        'step' as _source_model,
        step_name as _source_id
    from {{ ref('int_actionstep__stages') }}
)

select
    *,
    {{ row_hash() }} as _row_hash
from final
