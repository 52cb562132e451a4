-- Tasks, emails and phone calls of matters as Odoo activity (mapping 11). An open task
-- (Incomplete) becomes a mail.activity (type by category, deadline, assignee, summary, note);
-- a completed task becomes a chatter note with its original date, so history is not shown as
-- overdue work; hidden and deleted tasks are not migrated. Every matter an email is filed on
-- gets the email as a chatter message. The assignee / author is the Odoo user with the
-- staff member's email, else the fallback owner (activities) or none (messages).
with tasks as (
    select * from {{ ref('stg_actionstep__tasks') }}
    where status in ('Incomplete', 'Complete')
),

categories as (
    select * from {{ ref('int_actionstep__activity_categories') }}
),

staff as (
    select
        participant_id,
        min(email) as email
    from {{ ref('stg_actionstep__users') }}
    group by participant_id
),

owners as (
    select * from {{ ref('int_odoo__owners') }}
),

leads as (
    select
        action_id,
        lead_xmlid,
        review_reason
    from {{ ref('int_actionstep__leads') }}
),

task_rows as (
    select
        'task' as source_model,
        cast(tasks.task_id as varchar) as source_id,
        tasks.action_id,
        case when tasks.status = 'Incomplete' then 'activity' else 'message' end as kind,
        categories.activity_type_xmlid,
        categories.is_known as category_is_known,
        tasks.name as summary,
        nullif(trim(tasks.description), '') as note_text,
        cast(null as varchar) as body_html,
        cast(tasks.due_at as date) as deadline,
        coalesce(tasks.completed_at, tasks.modified_at, tasks.due_at) as message_date,
        tasks.assignee_participant_id as person_participant_id,
        cast(null as varchar) as email_from,
        'comment' as message_type,
        'mail.mt_note' as subtype_xmlid,
        tasks.status as source_status
    from tasks
    left join categories
        on tasks.name = categories.category
),

emails as (
    select
        'email' as source_model,
        emails.email_id || '--' || links.action_id as source_id,
        links.action_id,
        'message' as kind,
        cast(null as varchar) as activity_type_xmlid,
        true as category_is_known,
        emails.subject as summary,
        emails.body_text as note_text,
        emails.body_html,
        cast(null as date) as deadline,
        emails.sent_at as message_date,
        emails.created_by_participant_id as person_participant_id,
        emails.email_from,
        'email' as message_type,
        'mail.mt_comment' as subtype_xmlid,
        emails.direction as source_status
    from {{ ref('stg_actionstep__email_associations') }} as links
    inner join {{ ref('stg_actionstep__emails') }} as emails
        on links.email_id = emails.email_id
),

activity as (
    select * from task_rows
    union all
    select * from emails
)

select
    activity.*,
    leads.lead_xmlid,
    owners.user_id as person_user_id,
    case
        when activity.source_model = 'task' then {{ external_id("'actionstep_task'", 'activity.source_id') }}
        else {{ external_id("'actionstep_email'", 'activity.source_id') }}
    end as xmlid,
    case
        when leads.action_id is null then 'activity_unknown_matter'
        when leads.review_reason is not null then 'activity_matter_held'
    end as review_reason
from activity
left join leads
    on activity.action_id = leads.action_id
left join staff
    on activity.person_participant_id = staff.participant_id
left join owners
    on staff.email = owners.email
