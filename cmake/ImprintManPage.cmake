# Writes the imprint(1) manual page from the program's own help texts, so that the page
# can never describe a flag the program does not have. Run in script mode:
#   cmake -DIMPRINT=<path of imprint> -DVERSION=<x.y.z> -DOUTPUT=<imprint.1> -P ImprintManPage.cmake

function(imprint_help out)
    execute_process(COMMAND ${IMPRINT} ${ARGN} --help
        OUTPUT_VARIABLE text ERROR_VARIABLE error RESULT_VARIABLE result
        # The windows' commands print their help without a display.
        ENCODING UTF-8)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "imprint ${ARGN} --help failed (${result}): ${error}")
    endif()
    # Defaults under the home directory name the builder's; the page says "~".
    if(DEFINED ENV{HOME} AND NOT "$ENV{HOME}" STREQUAL "" AND NOT "$ENV{HOME}" STREQUAL "/")
        string(REPLACE "$ENV{HOME}/" "~/" text "${text}")
    endif()
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Help text as preformatted roff: escape backslashes, keep "-" a minus sign (so that
# flags copied from the page work), and protect lines that start with a control character.
function(imprint_roff_literal out text)
    string(REPLACE "\\" "\\e" text "${text}")
    string(REPLACE "-" "\\-" text "${text}")
    string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

imprint_help(overview)
# The command list: the indented lines between "Commands:" and the next blank line.
string(REGEX MATCH "Commands:\n(([ ][ ][^\n]+\n)+)" _ "${overview}")
set(listing "${CMAKE_MATCH_1}")
if(listing STREQUAL "")
    message(FATAL_ERROR "no command list in 'imprint --help'")
endif()
string(REGEX MATCH "\n\nOptions:.*" options_and_codes "${overview}")

string(REPLACE "\n" ";" lines "${listing}")
set(commands "")
foreach(line IN LISTS lines)
    if(line MATCHES "^  ([a-z]+( [a-z]+)?)  +(.+)$")
        list(APPEND commands "${CMAKE_MATCH_1}")
    endif()
endforeach()

set(page ".TH IMPRINT 1 \"\" \"imprint ${VERSION}\" \"User Commands\"\n")
string(APPEND page ".SH NAME\nimprint \\- device enrollment, certificate renewal and mutual-TLS authentication\n")
string(APPEND page ".SH SYNOPSIS\n.B imprint\n.I command\n.RI [ options ]\n")
string(APPEND page ".SH DESCRIPTION\n")
string(APPEND page "One program runs the enrollment service (\\fBimprint serve\\fR), enrolls and renews "
                   "devices, administers the device registry, and opens the operator's CA console and "
                   "the technician's enrollment wizard.\n")
string(APPEND page ".SH COMMANDS\n")
imprint_roff_literal(literal "${listing}")
string(APPEND page ".nf\n${literal}.fi\n")
foreach(command IN LISTS commands)
    string(REPLACE " " ";" words "${command}")
    imprint_help(help ${words})
    imprint_roff_literal(literal "${help}")
    string(APPEND page ".SS \"imprint ${command}\"\n.nf\n${literal}.fi\n")
endforeach()
imprint_roff_literal(literal "${options_and_codes}")
string(STRIP "${literal}" literal)
string(APPEND page ".SH OPTIONS AND EXIT STATUS\n.nf\n${literal}\n.fi\n")
string(APPEND page ".SH FILES\n")
string(APPEND page "The defaults depend on who runs the command.\n")
string(APPEND page ".TP\n.I /var/lib/imprint\nThe device's credential store, for root; "
                   "\\fI~/.local/share/imprint/device\\fR for other users.\n")
string(APPEND page ".TP\n.I /var/lib/imprint-service\nThe service's CA (\\fIca/\\fR) and SQLite registry "
                   "(\\fIregistry.db\\fR), for root; \\fI~/.local/share/imprint/service\\fR for other users.\n")
string(APPEND page ".TP\n.I /etc/default/imprint-daemon\nThe settings of \\fBimprint-daemon.service\\fR.\n")
string(APPEND page ".TP\n.I /etc/default/imprint-serve\nThe settings of \\fBimprint-serve.service\\fR.\n")
string(APPEND page ".SH SEE ALSO\nThe command reference, /usr/share/doc/imprint/CLI.md.\n")
file(WRITE "${OUTPUT}" "${page}")
