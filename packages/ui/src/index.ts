export {
  Alert,
  Button,
  Card,
  FieldFrame,
  type FieldProps,
  fieldDescribedBy,
  I18nProvider,
  Layout,
  type NavItem,
  PageHeading,
  ProcessSteps,
  SelectField,
  TextField,
  useI18n,
} from "./components";
export {
  type Locale,
  locales,
  type MessageKey,
  parseLocale,
  type Translate,
  timelineStageKeys,
  translate,
  translator,
} from "./i18n";
export { PdfViewer, type PdfViewerProps } from "./pdf-viewer-lazy";
