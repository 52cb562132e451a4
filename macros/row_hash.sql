{# Change detection for `load --delta`: a hash of every column of the row that reaches Odoo,
   so a column added to a mart is in its hash without anyone listing it.
   Use it over a mart's final CTE: `select *, {{ row_hash() }} as _row_hash from final`.
   Hashed: every column but the `_` bookkeeping ones, except the `_` columns the loader turns
   into values it sends (loader_inputs: the record a message or attachment belongs to -> res_id,
   the file's bytes -> datas, the author user -> author_id). `id` is in it (constant for a
   ledger key) so a pass with no value column yet (no custom fields) still has a row to hash.
   The row is a struct rendered as JSON: column names are part of it and null differs from ''. #}
{% macro row_hash(loader_inputs=['_res_xmlid', '_sha256', '_author_user_id']) -%}
    md5(to_json(struct_pack(*columns(lambda c: not starts_with(c, '_') or c in (
        {%- for column in loader_inputs %}'{{ column }}'{% if not loop.last %}, {% endif %}{% endfor -%}
    )))))
{%- endmacro %}
