-- Every source record that cannot be loaded safely, with the reason. Nothing is dropped
-- silently: a record missing from the marts is here (or hangs under a lead that is here).
with captorra_leads as (
    select
        'crm.lead' as model,
        'captorra' as source_system,
        'lead' as source_model,
        lead_id as source_id,
        review_reason as reason,
        'pipeline ' || pipeline || ', status ' || status
        || ' (add it to seeds/captorra_stages.csv)' as detail
    from {{ ref('int_captorra__leads') }}
    where review_reason is not null
),

captorra_attachments as (
    select
        'ir.attachment' as model,
        'captorra' as source_system,
        'attachment' as source_model,
        lead_id || '/' || file_name as source_id,
        review_reason as reason,
        case review_reason
            when 'attachment_missing'
                then 'the export names ' || file_name || ' for lead ' || lead_id
                    || ' but the attachments folder has no such file (export it again or attach by hand)'
            else 'lead ' || lead_id || ' is not in the export'
        end as detail
    from {{ ref('int_captorra__attachments') }}
    where review_reason in ('attachment_missing', 'attachment_unknown_lead')
),

captorra_activities as (
    select
        'mail.message' as model,
        'captorra' as source_system,
        'activity' as source_model,
        activity_id as source_id,
        review_reason as reason,
        'lead ' || lead_id || ' is not in the export' as detail
    from {{ ref('int_captorra__activities') }}
    where review_reason = 'activity_unknown_lead'
),

captorra_custom_values as (
    select
        'crm.lead' as model,
        'captorra' as source_system,
        'custom_value' as source_model,
        lead_id || '/' || field_name as source_id,
        'invalid_custom_value' as reason,
        'value ' || value_text || ' does not fit ' || odoo_name || ' (' || ttype || '); the lead '
        || 'loads without it (a held lead keeps it under its own entry)' as detail
    from {{ ref('int_captorra__custom_values') }} as custom_values
    where not is_valid
        and exists (
            select 1 from {{ ref('int_captorra__leads') }} as leads
            where leads.lead_id = custom_values.lead_id and leads.review_reason is null
        )
),

actionstep_roles as (
    select
        'res.partner' as model,
        'actionstep' as source_system,
        'actionparticipant' as source_model,
        action_participant_id as source_id,
        review_reason as reason,
        case review_reason
            when 'actionparticipant_missing_participant'
                then 'matter ' || action_id || ' names participant ' || participant_id
                    || ', which Actionstep did not return (deleted contact?); the role is not migrated'
            else 'matter ' || action_id || ' names participant type ' || participant_type_id
                || ', which Actionstep did not return; participant ' || participant_id
                || ' gets no tag for it'
        end as detail
    from {{ ref('int_actionstep__roles') }}
    where review_reason is not null
),

actionstep_leads as (
    select
        'crm.lead' as model,
        'actionstep' as source_system,
        'matter' as source_model,
        cast(action_id as varchar) as source_id,
        review_reason as reason,
        case review_reason
            when 'matter_without_stage'
                then 'matter ' || action_id || ' has no step, or one Actionstep did not return:'
                    || ' give the matter a step in Actionstep and extract again'
            else 'matter ' || action_id || ' has no client participant; add one in Actionstep'
        end as detail
    from {{ ref('int_actionstep__leads') }}
    where review_reason is not null
),

actionstep_related as (
    select
        'crm.lead' as model,
        'actionstep' as source_system,
        'related_matter' as source_model,
        source_action_id || '->' || target_action_id as source_id,
        review_reason as reason,
        case review_reason
            when 'related_matter_cycle'
                then 'related-matter cycle ' || cycle_members || ' broken at the link from matter '
                    || source_action_id || ' to ' || target_action_id
                    || ' (the link leaving its highest matter id)'
            else 'matter ' || source_action_id || ' links related matter ' || target_action_id
                || ', which does not exist'
        end as detail
    from {{ ref('int_actionstep__related_matters') }}
    where review_reason is not null
),

-- a kept matter whose related matter is held itself: the link cannot be sent (the target is not
-- in Odoo), so odoo__crm_lead leaves x_related_matter_id empty and the link waits here
actionstep_related_held as (
    select
        'crm.lead' as model,
        'actionstep' as source_system,
        'related_matter' as source_model,
        matters.action_id || '->' || targets.action_id as source_id,
        'related_matter_held' as reason,
        'matter ' || matters.action_id || ' links related matter ' || targets.action_id
        || ', which is held for review (' || targets.review_reason || '); the link is sent'
        || ' once that matter loads' as detail
    from {{ ref('int_actionstep__leads') }} as matters
    inner join {{ ref('int_actionstep__leads') }} as targets
        on matters.related_action_id = targets.action_id
    where matters.review_reason is null and targets.review_reason is not null
),

actionstep_trust as (
    select
        'res.partner' as model,
        'actionstep' as source_system,
        'trust_transaction' as source_model,
        transaction_id as source_id,
        review_reason as reason,
        'matter reference ' || coalesce(matter_reference, '(none)')
        || ' matches no migrated matter with a client; amount ' || amount || ' ' || currency
        || ' on ' || coalesce(cast(transaction_date as varchar), '?') as detail
    from {{ ref('int_actionstep__trust') }}
    where review_reason is not null
),

actionstep_attachments as (
    select
        'ir.attachment' as model,
        'actionstep' as source_system,
        'document' as source_model,
        cast(document_id as varchar) as source_id,
        review_reason as reason,
        'document ' || document_id || ' (' || file_name || ') of matter ' || action_id
        || case review_reason
            when 'attachment_unknown_matter' then ': the matter is not in the extract'
            when 'attachment_matter_held' then ': the matter is held for review (see its entry)'
            else ': its content was not downloaded (run extract actionstep again)'
        end as detail
    from {{ ref('int_actionstep__attachments') }}
    where review_reason is not null
),

actionstep_activities as (
    select
        case when kind = 'activity' then 'mail.activity' else 'mail.message' end as model,
        'actionstep' as source_system,
        source_model,
        source_id,
        review_reason as reason,
        'matter ' || action_id || case review_reason
            when 'activity_matter_held' then ' is held for review (see its entry)'
            else ' is not in the extract'
        end as detail
    from {{ ref('int_actionstep__activities') }}
    where review_reason is not null
),

actionstep_custom_values as (
    select
        model,
        'actionstep' as source_system,
        'custom_value' as source_model,
        source_id || '/' || odoo_name as source_id,
        'invalid_custom_value' as reason,
        'value ' || value_text || ' does not fit ' || odoo_name || ' (' || ttype || '); the record '
        || 'loads without it' as detail
    from {{ ref('int_actionstep__custom_values') }}
    where not is_valid
),

captorra_emails as (
    select
        'res.partner' as model,
        'captorra' as source_system,
        'lead' as source_model,
        lead_id as source_id,
        'invalid_email' as reason,
        'email ' || email_as_entered || ' (export line ' || source_line || ') is not an address; '
        || 'the lead loads without it and is not merged with anyone' as detail
    from {{ ref('int_captorra__leads') }}
    where has_invalid_email
),

actionstep_emails as (
    select
        'res.partner' as model,
        'actionstep' as source_system,
        'participant' as source_model,
        cast(participant_id as varchar) as source_id,
        'invalid_email' as reason,
        'email ' || email_as_entered || ' is not an address; the partner loads without it' as detail
    from {{ ref('int_actionstep__participants') }}
    where has_invalid_email
)

select * from captorra_leads
union all
select * from captorra_attachments
union all
select * from captorra_activities
union all
select * from captorra_custom_values
union all
select * from actionstep_roles
union all
select * from actionstep_leads
union all
select * from actionstep_related
union all
select * from actionstep_related_held
union all
select * from actionstep_trust
union all
select * from actionstep_attachments
union all
select * from actionstep_activities
union all
select * from actionstep_custom_values
union all
select * from actionstep_emails
union all
select * from captorra_emails
