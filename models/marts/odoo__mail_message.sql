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
)

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
    activity_type as _activity_type,
    'captorra' as _source_system,
    'activity' as _source_model,
    activity_id as _source_id,
    {{ row_hash([
        'activity_id', 'subject', 'body_html', 'occurred_at', 'activity_type', 'author_partner_xmlid',
        'sender', 'lead_xmlid', 'author_user_id'
    ]) }} as _row_hash
from shaped
