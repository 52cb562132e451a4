{# Actionstep raw datasets (docs/raw-datasets.md): one Parquet folder per resource and run,
   columns id, record (JSON text as received), _extracted_at, _run_id. #}

{# The folder glob of one Actionstep raw dataset. #}
{% macro actionstep_glob(name) -%}
    {{ env_var("LEGAL2ODOO_DATA", "data") }}/raw/actionstep/{{ name }}/run=*/*.parquet
{%- endmacro %}

{# Whether a raw dataset has any part file. A firm that only uses Captorra has no
   raw/actionstep at all, and the extractor writes no part for an empty resource; read at
   execution time (false while parsing, which only needs the graph). #}
{% macro actionstep_dataset_exists(name) -%}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {%- set found = run_query("select count(*) from glob('" ~ actionstep_glob(name) ~ "')") -%}
    {{ return(found.columns[0].values()[0] > 0) }}
{%- endmacro %}

{# A raw dataset as a relation, or an empty relation of the same columns when the dataset has
   no files yet. `columns` is a list of (name, type) pairs. #}
{% macro actionstep_raw(name, columns=none) -%}
    {%- set columns = columns or [('id', 'varchar'), ('record', 'varchar'),
                                  ('_extracted_at', 'timestamp'), ('_run_id', 'varchar')] -%}
    {%- set relation = source('actionstep', name) -%}
    {%- if actionstep_dataset_exists(name) -%}
        (select {% for column, type in columns %}cast({{ column }} as {{ type }}) as {{ column }}{{ ", " if not loop.last }}{% endfor %} from {{ relation }})
    {%- else -%}
        (select {% for column, type in columns %}cast(null as {{ type }}) as {{ column }}{{ ", " if not loop.last }}{% endfor %} where false)
    {%- endif -%}
{%- endmacro %}

{# The current version of every record of a resource: the latest (_extracted_at, _run_id) per
   id, unless a removal was detected after it (hard removal). `structure` (JSON text, the
   attributes a model reads and their types, links nested) parses each record once into the
   struct `r` (json_transform: one parse per record instead of one per attribute); staging
   reads r['name'], r['links']['action']. #}
{% macro actionstep_current(name, structure) -%}
    (
        with raw as (
            select * from {{ actionstep_raw(name) }}
        ),

        latest as (
            select *
            from raw
            qualify row_number() over (partition by id order by _extracted_at desc, _run_id desc) = 1
        ),

        removed as (
            select id, max(_detected_at) as removed_at
            from {{ actionstep_raw('removals', [('resource', 'varchar'), ('id', 'varchar'),
                                               ('_detected_at', 'timestamp'), ('_run_id', 'varchar')]) }}
            where resource = '{{ name }}'
            group by id
        )

        select
            latest.id,
            json_transform(latest.record, '{{ structure }}') as r,
            latest._extracted_at,
            latest._run_id
        from latest
        left join removed
            on latest.id = removed.id
        where removed.removed_at is null or latest._extracted_at > removed.removed_at
    )
{%- endmacro %}

{# An org-local timestamp with its offset (2021-03-04T10:23:59-06:00) as naive UTC. #}
{% macro actionstep_timestamp(expression) -%}
    timezone('UTC', try_cast({{ expression }} as timestamptz))
{%- endmacro %}


{# Every simple cycle of a directed graph (relation with source and target id columns), found
   by a recursive walk from every edge, with the edge that breaks it deterministically: the
   edge leaving the highest id of the cycle. Rows: members (sorted ids), broken_source,
   broken_target. Walks stop after `max_depth` steps. #}
{% macro cycle_walk(edges, source, target, max_depth=1000) -%}
    with recursive paths (start_id, current_id, path) as (
        select {{ source }}, {{ target }}, [{{ source }}]
        from {{ edges }}

        union all

        select paths.start_id, {{ edges }}.{{ target }}, list_append(paths.path, paths.current_id)
        from paths
        inner join {{ edges }}
            on {{ edges }}.{{ source }} = paths.current_id
        where paths.current_id <> paths.start_id
            and not list_contains(paths.path, paths.current_id)
            and len(paths.path) < {{ max_depth }}
    ),

    closed as (
        select path
        from paths
        where current_id = start_id
    ),

    located as (
        select
            path,
            list_position(path, list_max(path)) as top_position
        from closed
    )

    select
        list_sort(path) as members,
        path[top_position] as broken_source,
        case when top_position = len(path) then path[1] else path[top_position + 1] end
            as broken_target
    from located
{%- endmacro %}

{# Html as plain text for a description: script and style blocks dropped (with their content),
   inline images dropped (they become attachments), each list item on its own line as "- …",
   then the shared html_to_text (line breaks for <br>, </p>, </li>, </div>; tags dropped;
   entities decoded), numeric entities and &#39; decoded, runs of blank lines collapsed. #}
{% macro html_note_to_text(column) -%}
    trim(regexp_replace(
        replace(replace({{ html_to_text(
            "regexp_replace(regexp_replace(regexp_replace(regexp_replace(" ~ column ~ ",
                '(?is)<(script|style)[^>]*>.*?</(script|style)>', '', 'g'),
                '(?i)<img[^>]*>', '', 'g'),
                '(?i)</li\\s*>', '', 'g'),
                '(?i)<li[^>]*>', chr(10) || '- ', 'g')") }}, '&#39;', ''''), '&apos;', ''''),
        '\n[ \t]*\n([ \t]*\n)+', chr(10) || chr(10), 'g'), chr(10) || ' ')
{%- endmacro %}

{# JSON array text of one object per row of a group, in a fixed order: the aggregation
   helper behind x_billing_lines and x_trust_transactions. `fields` is a list of
   (json key, sql expression) pairs. #}
{% macro json_array_agg(fields, order_by) -%}
    cast(to_json(list({{ '{' }}{% for key, expression in fields %}'{{ key }}': {{ expression }}{{ ", " if not loop.last }}{% endfor %}{{ '}' }} order by {{ order_by }})) as varchar)
{%- endmacro %}

{# A camelCase or spaced source name as an Odoo custom field name: x_ + lower snake case
   (CaseCode → x_case_code), through the shared odoo_field_name. #}
{% macro camel_field_name(name) -%}
    {{ odoo_field_name("regexp_replace(" ~ name ~ ", '([a-z0-9])([A-Z])', '\\1_\\2', 'g')") }}
{%- endmacro %}

{# (odoo name, ttype) of the custom fields of one model in an int_actionstep__custom_fields-shaped
   relation, read at execution time (empty while parsing). #}
{% macro actionstep_custom_field_types(relation, model) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set query -%}
        select odoo_name, ttype from {{ relation }} where model = '{{ model }}' order by odoo_name
    {%- endset -%}
    {%- set result = run_query(query) -%}
    {{ return(zip(result.columns[0].values(), result.columns[1].values()) | list) }}
{%- endmacro %}
