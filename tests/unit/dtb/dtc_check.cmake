# cmake -DSAMPLE=dtb_sample -DDTC=dtc -DOUT=dir -P dtc_check.cmake
# Writes the sample trees into OUT, then for each runs
# "dtc -I dtb -O dts -o FILE.dts FILE.dtb": any exit status but 0 or any
# output on stderr (a dtc warning) fails. The .dts files stay for reading.
if(NOT DTC OR NOT EXISTS "${DTC}")
	message(FATAL_ERROR "dtc not found (install device-tree-compiler): "
		"the generated device trees cannot be checked")
endif()
file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")
execute_process(COMMAND "${SAMPLE}" "${OUT}"
	RESULT_VARIABLE rc OUTPUT_VARIABLE blobs ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "${SAMPLE} failed (${rc}): ${err}")
endif()
string(STRIP "${blobs}" blobs)
string(REPLACE "\n" ";" blobs "${blobs}")
list(LENGTH blobs n)
if(n LESS 6)
	message(FATAL_ERROR "expected 6 sample trees, got ${n}: ${blobs}")
endif()
foreach(dtb ${blobs})
	string(REGEX REPLACE "\\.dtb$" ".dts" dts "${dtb}")
	execute_process(COMMAND "${DTC}" -I dtb -O dts -o "${dts}" "${dtb}"
		RESULT_VARIABLE rc ERROR_VARIABLE err)
	if(NOT rc EQUAL 0 OR NOT err STREQUAL "")
		message(FATAL_ERROR "dtc on ${dtb}: exit ${rc}:\n${err}")
	endif()
	message(STATUS "dtc: ${dtb}: no warnings")
endforeach()
