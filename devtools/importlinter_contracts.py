"""A custom import-linter contract: apps reach each other only through their public surface.

For every app under `container` (except the `exempt` shared kernel), any module outside the
app that imports one of its submodules other than the `public` ones (api, contracts,
events) breaks the contract. New apps are covered without editing the configuration.
"""

from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


class PublicSurfaceContract(Contract):
    container = fields.StringField()
    public = fields.ListField(subfield=fields.StringField())
    exempt = fields.ListField(subfield=fields.StringField(), required=False)
    allowed_importers = fields.ListField(subfield=fields.StringField(), required=False)
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(
        contract_utils.AlertLevel, default=contract_utils.AlertLevel.ERROR
    )

    def check(self, graph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )
        public = set(self.public)  # type: ignore[arg-type]
        exempt = set(self.exempt or [])  # type: ignore[arg-type]
        allowed = list(self.allowed_importers or [])  # type: ignore[arg-type]
        illegal = []
        for app in sorted(graph.find_children(self.container)):  # type: ignore[arg-type]
            if app.rsplit(".", 1)[1] in exempt:
                continue
            for module in sorted(graph.find_descendants(app)):
                if module[len(app) + 1 :].split(".")[0] in public:
                    continue
                for importer in sorted(graph.find_modules_that_directly_import(module)):
                    if _inside(importer, app) or any(_inside(importer, a) for a in allowed):
                        continue
                    lines = [
                        d["line_number"] for d in graph.get_import_details(importer=importer, imported=module)
                    ]
                    illegal.append((importer, module, lines))
        return ContractCheck(
            kept=not illegal,
            warnings=list(removal.warnings),
            metadata={"illegal": illegal, "public": sorted(public)},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        surface = ", ".join(check.metadata["public"])
        output.print_error(f"Apps must import each other only through: {surface}.", bold=False)
        output.new_line()
        for importer, imported, lines in check.metadata["illegal"]:
            output.print_error(f"- {importer} -> {imported} (l.{', '.join(map(str, lines))})", bold=False)
            output.new_line()
