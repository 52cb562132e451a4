-- A stage is won or lost or neither, never both (seeds `stages`, `captorra_stages`, and the
-- inferred Actionstep steps).
select 'stages' as source, step_name as stage from {{ ref('stages') }} where is_won and is_lost
union all
select 'captorra_stages', pipeline || ' / ' || status from {{ ref('captorra_stages') }}
where is_won and is_lost
union all
select 'int_actionstep__stages', step_name from {{ ref('int_actionstep__stages') }}
where is_won and is_lost
