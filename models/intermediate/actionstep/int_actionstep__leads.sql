-- Matters with every link resolved, one row per matter (mapping 1): stage by step name
-- (int_actionstep__stages), matter type as a crm.tag and x_matter_type, responsible user by
-- case-insensitive email (else the fallback owner, flagged), primary client partner, the other
-- clients / contact persons in email_cc, the related matter, billing lines as JSON and an html
-- description (other contacts, further related matters, file notes in date order, each under
-- its header line; plain text escaped with its line breaks, html notes as html).
-- A soft-deleted matter loads archived (active = false) so its history stays attached. A matter
-- in a lost step (seed `stages`, e.g. Closed Lost) is lost: archived, probability 0, the lost
-- reason named after its step. A matter with no stage (no step, or a step the API does not
-- return) is held for review, never loaded stage-less.
with matters as (
    select * from {{ ref('stg_actionstep__actions') }}
),

types as (
    select * from {{ ref('stg_actionstep__action_types') }}
),

steps as (
    select * from {{ ref('stg_actionstep__steps') }}
),

stages as (
    select * from {{ ref('int_actionstep__stages') }}
),

users as (
    select
        participant_id,
        min(email) as email
    from {{ ref('stg_actionstep__users') }}
    group by participant_id
),

owners as (
    select * from {{ ref('int_odoo__owners') }}
),

roles as (
    select * from {{ ref('int_actionstep__roles') }}
    where review_reason is null and partner_xmlid is not null
),

participants as (
    select
        participant_id,
        partner_xmlid,
        email,
        name
    from {{ ref('int_actionstep__participants') }}
),

-- The primary client: the first primary participant that is a known contact, else the client
-- role with the lowest participant number.
primary_links as (
    select
        action_id,
        unnest(primary_participant_ids) as participant_id,
        unnest(range(1, len(primary_participant_ids) + 1)) as rank_in_kind
    from matters
    where len(primary_participant_ids) > 0
),

primary_candidates as (
    select
        primary_links.action_id,
        participants.partner_xmlid,
        participants.participant_id,
        0 as preference,
        primary_links.rank_in_kind
    from primary_links
    inner join participants
        on primary_links.participant_id = participants.participant_id

    union all

    select
        roles.action_id,
        roles.partner_xmlid,
        roles.participant_id,
        1,
        roles.participant_number
    from roles
    where roles.role_label = 'Client'
),

primary_client as (
    select
        action_id,
        partner_xmlid,
        participant_id
    from primary_candidates
    qualify row_number() over (partition by action_id order by preference, rank_in_kind) = 1
),

others as (
    select
        roles.action_id,
        string_agg(distinct participants.email, ',' order by participants.email) as email_cc,
        string_agg(
            distinct participants.name || ' (' || roles.role_label || ')', '; '
            order by participants.name || ' (' || roles.role_label || ')'
        ) as contact_line
    from roles
    inner join participants
        on roles.participant_id = participants.participant_id
    left join primary_client
        on roles.action_id = primary_client.action_id
            and roles.partner_xmlid = primary_client.partner_xmlid
    where roles.is_client_contact and primary_client.action_id is null
    group by roles.action_id
),

related as (
    select * from {{ ref('int_actionstep__related_matters') }}
),

related_primary as (
    select
        source_action_id,
        target_action_id,
        relation_type
    from related
    where is_primary
),

related_further as (
    select
        source_action_id,
        string_agg('#' || target_action_id, ', ' order by position) as further
    from related
    where not is_primary and target_exists
    group by source_action_id
),

notes as (
    select
        action_id,
        string_agg(
            {{ text_to_html('header') }} || coalesce(note_html, ''), ''
            order by coalesce(noted_at, entered_at), file_note_id
        ) as notes_html,
        count(*) filter (where had_html) as notes_with_html,
        count(*) as note_count
    from {{ ref('int_actionstep__file_notes') }}
    group by action_id
),

billing as (
    select
        action_id,
        {{ json_array_agg([
            ('kind', 'kind'), ('date', 'line_date'), ('user', 'user_name'), ('hours', 'hours'),
            ('rate', 'rate'), ('amount', 'amount'), ('currency', 'currency'),
            ('description', 'description'), ('bill_reference', 'bill_reference')
        ], 'line_date, kind, line_id') }} as billing_json,
        count(*) as billing_line_count
    from {{ ref('int_actionstep__billing_lines') }}
    group by action_id
)

select
    matters.action_id,
    {{ external_id("'actionstep_matter'", 'matters.action_id') }} as lead_xmlid,
    matters.name,
    matters.reference,
    matters.status,
    matters.created_at,
    matters.modified_at,
    not matters.is_deleted as is_active,
    types.name as matter_type,
    {{ external_id("'actionstep_matter_type'", 'matters.action_type_id') }} as matter_type_tag_xmlid,
    steps.step_name,
    stages.stage_xmlid,
    case when stages.is_lost then 0 else stages.probability end as probability,
    stages.is_won,
    coalesce(stages.is_lost, false) as is_lost,
    case when stages.is_lost then {{ lost_reason_external_id('steps.step_name') }} end
        as lost_reason_xmlid,
    stages.fold as is_closed_stage,
    primary_client.partner_xmlid,
    primary_client.participant_id as client_participant_id,
    others.email_cc,
    coalesce(owners.user_id, {{ fallback_owner_id() }}) as user_id,
    owners.user_id is null as owner_is_fallback,
    case
        when matters.assigned_participant_id is null then 'unassigned'
        when owners.user_id is null then 'no_odoo_user'
    end as owner_issue,
    users.email as owner_email,
    related_primary.target_action_id as related_action_id,
    case
        when related_primary.target_action_id is not null
            then {{ external_id("'actionstep_matter'", 'related_primary.target_action_id') }}
    end as related_lead_xmlid,
    related_primary.relation_type as related_type,
    billing.billing_json,
    coalesce(billing.billing_line_count, 0) as billing_line_count,
    coalesce(notes.notes_with_html, 0) as notes_with_html,
    coalesce(notes.note_count, 0) as note_count,
    nullif(concat(
        {{ text_to_html("'Other clients and contacts: ' || others.contact_line") }},
        {{ text_to_html("'Further related matters: ' || related_further.further") }},
        notes.notes_html
    ), '') as description,
    case
        when primary_client.partner_xmlid is null then 'matter_without_client'
        when stages.stage_xmlid is null then 'matter_without_stage'
    end as review_reason
from matters
left join types
    on matters.action_type_id = types.action_type_id
left join steps
    on matters.step_id = steps.step_id
left join stages
    on steps.step_name = stages.step_name
left join users
    on matters.assigned_participant_id = users.participant_id
left join owners
    on users.email = owners.email
left join primary_client
    on matters.action_id = primary_client.action_id
left join others
    on matters.action_id = others.action_id
left join related_primary
    on matters.action_id = related_primary.source_action_id
left join related_further
    on matters.action_id = related_further.source_action_id
left join notes
    on matters.action_id = notes.action_id
left join billing
    on matters.action_id = billing.action_id
