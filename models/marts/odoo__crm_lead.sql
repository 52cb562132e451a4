-- Captorra leads as crm.lead rows; leads held in int_records_held_for_review are not here.
-- Odoo drops create_date/write_date sent over RPC or import, so the originals travel in
-- x_original_created / x_original_modified (UTC) and date_closed (won or closed-lost stages:
-- the last modification); date_open is not sent: Odoo computes it (readonly) from user_id at
-- load time, whatever the row says. A lead with a partner carries the partner's email, phone
-- and mobile: Odoo writes a lead's email and phone onto its partner when they differ (crm.lead
-- inverses), so anything else would rewrite the partner, even blank it (and Odoo 19 folds
-- mobile into phone, load/versions.py). The referrer is a partner
-- (var referral_mode = partner, x_referral_partner_id) or the text field `referred` (field).
-- Actionstep matters (int_actionstep__leads) follow as a second branch (union by name: the
-- columns one source does not have are null in its rows).
with contacts as (
    select
        partner_xmlid,
        email,
        phone,
        mobile
    from {{ ref('int_partners_deduplicated_by_email') }}
),

leads as (
    select
        captorra.* replace (
            case when captorra.partner_xmlid is null then captorra.email else contacts.email end
                as email,
            case when captorra.partner_xmlid is null then captorra.phone else contacts.phone end
                as phone,
            case when captorra.partner_xmlid is null then captorra.mobile else contacts.mobile end
                as mobile
        )
    from {{ ref('int_captorra__leads') }} as captorra
    left join contacts
        on captorra.partner_xmlid = contacts.partner_xmlid
    where captorra.review_reason is null
),

-- a related matter held for review is not in Odoo: the link waits in the review queue
-- (int_records_held_for_review, related_matter_held) instead of naming a missing lead
held_matters as (
    select action_id from {{ ref('int_actionstep__leads') }}
    where review_reason is not null
),

matters as (
    select
        actionstep.* replace (
            case when held_matters.action_id is null then actionstep.related_lead_xmlid end
                as related_lead_xmlid,
            case when held_matters.action_id is null then actionstep.related_type end
                as related_type
        ),
        contacts.email as contact_email,
        contacts.phone as contact_phone,
        contacts.mobile as contact_mobile
    from {{ ref('int_actionstep__leads') }} as actionstep
    left join contacts
        on actionstep.partner_xmlid = contacts.partner_xmlid
    left join held_matters
        on actionstep.related_action_id = held_matters.action_id
    where actionstep.review_reason is null
),

shaped as (
    select
        *,
        case when '{{ var("referral_mode") }}' = 'partner' then referrer_xmlid end
            as referral_partner_xmlid,
        case when '{{ var("referral_mode") }}' = 'field' then referrer_name end as referred,
        case when is_won or is_closed_stage or is_lost then modified_at end as closed_at
    from leads
),

final as (
    select
        {{ external_id("'captorra_lead'", 'lead_id') }} as id,
        coalesce(nullif(trim(concat_ws(' ', first_name, last_name)), ''), email, 'Lead ' || lead_id)
        || ' - ' || pipeline as name,
        case when is_converted then 'opportunity' else 'lead' end as type,
        partner_xmlid as "partner_id/id",
        nullif(trim(concat_ws(' ', first_name, last_name)), '') as contact_name,
        company as partner_name,
        email as email_from,
        phone,
        mobile,
        street,
        city,
        zip,
        'base.us' as "country_id/id",
        team_xmlid as "team_id/id",
        stage_xmlid as "stage_id/id",
        user_id as "user_id/.id",
        probability,
        lost_reason_xmlid as "lost_reason_id/id",
        {{ note_to_html('notes') }} as description,
        referred,
        referral_partner_xmlid as "x_referral_partner_id/id",
        lead_id as x_captorra_id,
        -- a lost lead is archived (Odoo's "lost"); an empty cell would archive, so never null
        not is_lost as active,
        matter_ref as x_matter_ref,
        created_at as x_original_created,
        modified_at as x_original_modified,
        closed_at as date_closed,
        'captorra' as _source_system,
        'lead' as _source_model,
        lead_id as _source_id,
        owner_is_fallback as _owner_is_fallback,
        {{ odoo_user_column('user_id', 'login') }} as _user_login
    from shaped

    union all by name

    select
        lead_xmlid as id,
        name,
        'opportunity' as type,
        partner_xmlid as "partner_id/id",
        contact_email as email_from,
        contact_phone as phone,
        contact_mobile as mobile,
        email_cc,
        {{ external_id("'actionstep_team'", "'matters'") }} as "team_id/id",
        stage_xmlid as "stage_id/id",
        user_id as "user_id/.id",
        probability,
        lost_reason_xmlid as "lost_reason_id/id",
        matter_type_tag_xmlid as "tag_ids/id",
        description,
        is_active and not is_lost as active,
        reference as x_matter_ref,
        cast(action_id as varchar) as x_source_matter_id,
        matter_type as x_matter_type,
        related_lead_xmlid as "x_related_matter_id/id",
        related_type as x_related_matter_type,
        billing_json as x_billing_lines,
        created_at as x_original_created,
        modified_at as x_original_modified,
        -- an archived lead is a lost one: Odoo stamps date_closed when it archives (and again
        -- whenever a write sends active = false, so a full reload restamps it; --delta does not)
        case when is_won or is_closed_stage or is_lost or not is_active then modified_at end
            as date_closed,
        'actionstep' as _source_system,
        'matter' as _source_model,
        cast(action_id as varchar) as _source_id,
        owner_is_fallback as _owner_is_fallback,
        owner_issue as _owner_issue,
        {{ odoo_user_column('user_id', 'login') }} as _user_login,
        notes_with_html as _notes_with_html
    from matters
)

select
    *,
    {{ row_hash() }} as _row_hash
from final
