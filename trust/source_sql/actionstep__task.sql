-- Tasks of matters: completed ones are chatter notes (mail.message), open ones planned
-- activities (mail.activity); hidden and deleted tasks are excluded by rule.
with tasks as (
    select id, record, json_extract_string(record, '$.status') as status from {current:tasks}
)

select
    id as source_id,
    'legal2odoo.actionstep_task_' || regexp_replace(id, '[^A-Za-z0-9_]', '_', 'g') as external_id,
    case when status = 'Incomplete' then 'open task' else 'task' end as record_type,
    case
        when status not in ('Incomplete', 'Complete') then 'task ' || coalesce(lower(status), 'without status')
    end as excluded_rule,
    case when status = 'Complete' then json_extract_string(record, '$.name') end as name,
    case when status = 'Complete' then json_extract_string(record, '$.links.action') end as action_id,
    case when status = 'Incomplete' then json_extract_string(record, '$.name') end as open_name,
    case when status = 'Incomplete' then json_extract_string(record, '$.links.action') end
        as open_action_id,
    case when status = 'Incomplete' then json_extract_string(record, '$.dueTimestamp') end
        as due_at
from tasks
