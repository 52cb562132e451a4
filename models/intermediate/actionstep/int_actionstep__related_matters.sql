-- Related-matter links (actions.links.relatedActions, in array order) with their fate:
-- a link to a matter that does not exist is a review entry; cycles are found with a recursive
-- walk and each is broken at one deterministic edge — the edge leaving the highest matter id of
-- the cycle — which is a review entry too. The first kept link of a matter becomes
-- x_related_matter_id; every further one is listed in the description. The source does not say
-- parent or child, so the type is 'related'.
with matters as (
    select
        action_id,
        related_action_ids
    from {{ ref('stg_actionstep__actions') }}
),

links as (
    select
        action_id as source_action_id,
        unnest(related_action_ids) as target_action_id,
        unnest(range(1, len(related_action_ids) + 1)) as position
    from matters
    where len(related_action_ids) > 0
),

resolved as (
    select
        links.*,
        targets.action_id is not null as target_exists
    from links
    left join matters as targets
        on links.target_action_id = targets.action_id
),

edges as (
    select distinct
        source_action_id,
        target_action_id
    from resolved
    where target_exists
),

walk as (
    {{ cycle_walk('edges', 'source_action_id', 'target_action_id') }}
),

cycles as (
    select distinct
        members,
        broken_source,
        broken_target
    from walk
),

broken as (
    select
        broken_source,
        broken_target,
        min(array_to_string(members, ' → ')) as cycle_members
    from cycles
    group by broken_source, broken_target
)

select
    resolved.source_action_id,
    resolved.target_action_id,
    resolved.position,
    resolved.target_exists,
    broken.broken_source is not null as is_broken_cycle_edge,
    broken.cycle_members,
    'related' as relation_type,
    case
        when not resolved.target_exists then 'related_matter_missing'
        when broken.broken_source is not null then 'related_matter_cycle'
    end as review_reason,
    row_number() over (
        partition by resolved.source_action_id
        order by (resolved.target_exists and broken.broken_source is null) desc, resolved.position
    ) = 1 and resolved.target_exists and broken.broken_source is null as is_primary
from resolved
left join broken
    on resolved.source_action_id = broken.broken_source
        and resolved.target_action_id = broken.broken_target
