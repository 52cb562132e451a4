-- Engagement history (mail.message) in the chatter of its lead. The lead is named by external
-- id in _res_xmlid (with model = crm.lead): the loader resolves it to res_id, which Odoo's
-- import cannot do for a many2one_reference. Emails are message_type email with the
-- discussion subtype; calls and notes are internal notes. A call keeps its duration and
-- outcome in the body. `date` is the original time (UTC): Odoo keeps it as given.
-- Author: a contact partner by external id, or the Odoo user in _author_user_id whose partner
-- the loader sets as author_id (the snapshot does not carry users' partners).
with activities as (
    select * from {{ ref('int_captorra__activities') }}
    where review_reason is null
),

shaped as (
    select
        *,
        activity_type = 'Email' as is_email,
        concat(
            case
                when activity_type = 'Call' then
                    '<p>Call, ' || coalesce(duration_minutes || ' min', 'duration not recorded')
                    || ', outcome: ' || coalesce({{ html_escape('outcome') }}, 'not recorded') || '</p>'
            end,
            case when body is not null then {{ text_to_html('body') }} end
        ) as body_html
    from activities
),

final as (
    select
        {{ external_id("'captorra_activity'", 'activity_id') }} as id,
        'crm.lead' as model,
        subject,
        coalesce(nullif(body_html, ''), '<p>' || {{ html_escape("coalesce(subject, activity_type)") }} || '</p>')
            as body,
        occurred_at as date,
        case when is_email then 'email' else 'comment' end as message_type,
        case when is_email then 'mail.mt_comment' else 'mail.mt_note' end as "subtype_id/id",
        author_partner_xmlid as "author_id/id",
        sender as email_from,
        lead_xmlid as _res_xmlid,
        author_user_id as _author_user_id,
        {{ odoo_user_column('author_user_id', 'name') }} as _author_user_name,
        activity_type as _activity_type,
        'captorra' as _source_system,
        'activity' as _source_model,
        activity_id as _source_id
    from shaped

    union all

    -- Actionstep: completed tasks as internal notes (original completion date, the assignee as
    -- author) and emails filed on a matter as email messages, one per matter it is filed on.
    select
        activities.xmlid as id,
        'crm.lead' as model,
        activities.summary as subject,
        case
            when activities.source_model = 'task'
                then
                    '<p>Task done: ' || {{ html_escape("coalesce(activities.summary, 'task')") }} || '</p>'
                    || coalesce({{ text_to_html('activities.note_text') }}, '')
            else coalesce(
                    activities.body_html, {{ text_to_html('activities.note_text') }},
                    '<p>' || {{ html_escape("coalesce(activities.summary, 'email')") }} || '</p>'
                )
        end as body,
        activities.message_date as date,
        activities.message_type,
        activities.subtype_xmlid as "subtype_id/id",
        cast(null as varchar) as "author_id/id",
        activities.email_from,
        activities.lead_xmlid as _res_xmlid,
        activities.person_user_id as _author_user_id,
        {{ odoo_user_column('activities.person_user_id', 'name') }} as _author_user_name,
        case when activities.source_model = 'task' then 'Task' else 'Email' end as _activity_type,
        'actionstep' as _source_system,
        activities.source_model as _source_model,
        activities.source_id as _source_id
    from {{ ref('int_actionstep__activities') }} as activities
    where activities.kind = 'message' and activities.review_reason is null
)

select
    *,
    {{ row_hash() }} as _row_hash
from final
