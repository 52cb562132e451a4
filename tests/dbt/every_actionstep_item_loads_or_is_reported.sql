-- Every Actionstep document, task and filed email either loads (a mart row), is a review
-- entry or is excluded by a rule (int_excluded_by_rule): counted, never skipped.
with documents as (
    select 'document' as kind, cast(document_id as varchar) as source_id
    from {{ ref('stg_actionstep__documents') }}
),

tasks as (
    select 'task', cast(task_id as varchar) from {{ ref('stg_actionstep__tasks') }}
),

emails as (
    select 'email', email_id || '--' || action_id from {{ ref('stg_actionstep__email_associations') }}
),

items as (
    select * from documents
    union all
    select * from tasks
    union all
    select * from emails
),

accounted as (
    select _source_model as kind, _source_id as source_id from {{ ref('odoo__ir_attachment') }}
    where _source_system = 'actionstep'
    union all
    select _source_model, _source_id from {{ ref('odoo__mail_activity') }}
    union all
    select _source_model, _source_id from {{ ref('odoo__mail_message') }}
    where _source_system = 'actionstep'
    union all
    select source_model, source_id from {{ ref('int_records_held_for_review') }}
    where source_system = 'actionstep'
    union all
    select source_object, source_id from {{ ref('int_excluded_by_rule') }}
    where source_system = 'actionstep'
)

select items.*
from items
left join accounted
    on items.kind = accounted.kind and items.source_id = accounted.source_id
where accounted.source_id is null
