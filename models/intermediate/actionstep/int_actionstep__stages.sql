-- One crm.stage per Actionstep step name (the same name in several matter types is one stage),
-- with sequence / probability / is_won / fold from the editable seed `stages`; a step the seed
-- does not list still becomes a stage, ordered by its step number (custom stages are created).
with steps as (
    select
        step_name,
        min(step_number) as first_step_number,
        bool_or(action_status = 'Closed') as closes_matter
    from {{ ref('stg_actionstep__steps') }}
    where step_name is not null
    group by step_name
),

seed as (
    select * from {{ ref('stages') }}
)

select
    steps.step_name,
    {{ external_id("'actionstep_stage'", selection_value('steps.step_name')) }} as stage_xmlid,
    coalesce(seed.sequence, steps.first_step_number * 10) as sequence,
    coalesce(seed.probability, 0) as probability,
    coalesce(seed.is_won, false) as is_won,
    coalesce(seed.fold, false) as fold,
    seed.step_name is not null as is_in_seed
from steps
left join seed
    on steps.step_name = seed.step_name
