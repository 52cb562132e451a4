-- One crm.stage per Actionstep step name (the same name in several matter types is one stage),
-- with sequence / probability / is_won / is_lost / fold from the editable seed `stages`; a step
-- the seed does not list still becomes a stage, ordered by its step number (custom stages are
-- created). An unlisted step that closes the matter (actionStatus Closed) is folded and maps to
-- won or lost by its name (lost, declined, rejected, withdrawn, dismissed, referred out: lost;
-- else won), never left neither.
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
),

inferred as (
    select
        *,
        closes_matter and regexp_matches(
            lower(step_name),
            '\b(lost|declined?|rejected|withdrawn|dismissed|referred out|abandoned)\b')
            as closes_lost
    from steps
)

select
    steps.step_name,
    {{ external_id("'actionstep_stage'", selection_value('steps.step_name')) }} as stage_xmlid,
    coalesce(seed.sequence, steps.first_step_number * 10) as sequence,
    coalesce(seed.probability, case when steps.closes_matter and not steps.closes_lost then 100 else 0 end)
        as probability,
    coalesce(seed.is_won, steps.closes_matter and not steps.closes_lost) as is_won,
    coalesce(seed.is_lost, steps.closes_lost) as is_lost,
    coalesce(seed.fold, steps.closes_matter) as fold,
    seed.step_name is not null as is_in_seed
from inferred as steps
left join seed
    on steps.step_name = seed.step_name
