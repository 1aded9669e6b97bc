#ifndef JWINGEST_CLIBXML2_SHIM_H
#define JWINGEST_CLIBXML2_SHIM_H

// Debian builds libxml2 with ICU, whose headers collide with the copy inside Foundation.
// Read the version header first, then switch the ICU part off before the rest is included.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>

#endif
