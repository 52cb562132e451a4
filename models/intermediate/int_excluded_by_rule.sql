-- Source records that are not migrated on purpose, each with the rule that excludes it, so
-- they are counted (reconciliation's "excluded by rule" column) and never dropped silently:
-- hidden and deleted Actionstep tasks, pending (placeholder), deleted and empty documents,
-- and file notes with neither text nor image. Everything else loads or is held for review.
with tasks as (
    select
        'actionstep' as source_system,
        'task' as source_object,
        cast(task_id as varchar) as source_id,
        action_id,
        case status when 'Hidden' then 'task_hidden' else 'task_deleted' end as rule,
        'task ' || task_id || ' of matter ' || action_id || ' is ' || lower(status)
        || ' in Actionstep' as detail
    from {{ ref('stg_actionstep__tasks') }}
    where status in ('Hidden', 'Deleted')
),

documents as (
    select
        'actionstep' as source_system,
        'document' as source_object,
        cast(document_id as varchar) as source_id,
        action_id,
        case
            when is_deleted then 'document_deleted'
            when status = 'pending' then 'document_pending'
            else 'document_without_content'
        end as rule,
        'document ' || document_id || ' of matter ' || action_id || case
            when is_deleted then ' is deleted in Actionstep'
            when status = 'pending' then ' is pending (a placeholder with no file yet)'
            else ' has no content'
        end as detail
    from {{ ref('stg_actionstep__documents') }}
    where is_deleted or status = 'pending' or coalesce(file_size, 0) = 0
),

file_notes as (
    select
        'actionstep' as source_system,
        'filenote' as source_object,
        cast(notes.file_note_id as varchar) as source_id,
        notes.action_id,
        'file_note_empty' as rule,
        'file note ' || notes.file_note_id || ' of matter ' || notes.action_id
        || ' has no text and no image' as detail
    from {{ ref('stg_actionstep__file_notes') }} as notes
    left join {{ ref('int_actionstep__file_notes') }} as kept
        on notes.file_note_id = kept.file_note_id
    where kept.file_note_id is null
)

select * from tasks
union all
select * from documents
union all
select * from file_notes
