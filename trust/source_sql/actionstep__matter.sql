-- Actionstep matters (actions), current version, with their step's stage by the stage map
-- (seeds/stages.csv), matter type name and first related matter. A soft-deleted matter is
-- still a record (archived in Odoo with its history).
with actions as (
    select id, record from {current:actions}
),

steps as (
    select
        id as step_id,
        nullif(trim(json_extract_string(record, '$.stepName')), '') as step_name
    from {current:steps}
),

types as (
    select id as type_id, nullif(trim(json_extract_string(record, '$.name')), '') as type_name
    from {current:actiontypes}
),

stage_map as (
    select * from {seed:stages}
),

matters as (
    select
        id as action_id,
        record,
        json_extract_string(record, '$.links.step') as step_id,
        json_extract_string(record, '$.links.actionType') as type_id,
        json_extract_string(record, '$.links.relatedActions[0]') as related_action_id
    from actions
)

select
    matters.action_id as source_id,
    'legal2odoo.actionstep_matter_' || regexp_replace(matters.action_id, '[^A-Za-z0-9_]', '_', 'g')
        as external_id,
    'matter' as record_type,
    cast(null as varchar) as excluded_rule,
    json_extract_string(matters.record, '$.name') as name,
    json_extract_string(matters.record, '$.reference') as reference,
    matters.action_id,
    types.type_name as matter_type,
    case when stage_map.step_name is not null then
        'legal2odoo.actionstep_stage_'
        || trim(regexp_replace(lower(trim(stage_map.step_name)), '[^a-z0-9]+', '_', 'g'), '_')
    end as stage_xmlid,
    case when json_extract_string(matters.record, '$.isDeleted') = 'T' then 'false' else 'true' end
        as is_active,
    json_extract_string(matters.record, '$.modifiedTimestamp') as modified_at,
    matters.related_action_id,
    -- relatedActions is a bare list of ids: the source names no type, so every link is 'related'
    case when matters.related_action_id is not null then 'related' end as related_type
from matters
left join steps
    on matters.step_id = steps.step_id
left join types
    on matters.type_id = types.type_id
left join stage_map
    on steps.step_name = stage_map.step_name
